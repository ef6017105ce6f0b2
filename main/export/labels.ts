// What every exported model says about itself: its classes and the input it expects.
export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export const NORMALISATION_NOTE =
  'MNIST-style: white ink on black; background removed; cropped to the ink; scaled to fit 20x20 (aspect kept, area-averaged); ' +
  'placed so the centre of mass is at the centre of the 28x28 frame; bytes 0-255 divided by 255. ' +
  'Digit Studio does this in main/data/normalize.ts; the exported web page carries the same code.';
