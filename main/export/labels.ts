// What every exported model says about itself: its classes and the input it expects.
export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export const NORMALISATION_NOTE =
  'MNIST-style: white ink on black; background removed; cropped to the ink; scaled to fit 20x20 (aspect kept, area-averaged); ' +
  'placed so the centre of mass is at the centre of the 28x28 frame; bytes 0-255 divided by 255. ' +
  'Digit Studio does this in main/data/normalize.ts; the exported web page carries the same code.';

/** For models that read deskewed digits (metadata.json input.deskew): what comes after the normalisation. */
export const DESKEW_NOTE =
  'Then deskewed: the ink is sheared horizontally so its principal axis stands upright (second-order image moments: ' +
  'alpha = mu11/mu02 about the centre of mass, left as it is when |alpha| > 1 or there is no ink); each row y is resampled ' +
  'by linear interpolation at x + alpha*(y - ybar), pixels outside the frame count as 0, rounded to whole levels 0-255. ' +
  'Digit Studio does this in main/data/deskew.ts; its ONNX export and web page do it themselves; ' +
  'a TensorFlow.js model must be given digits already deskewed.';
