// Reading digits and numbers: pictures, drawings, the models that read them (main/services/
// prediction, reading and inspect services, main/read/, the ML process's inputs).
export const predict = {
  'predict.noModel': 'Train a model first: there is no model yet. Start a run in Train; it takes a minute or two.',
  'predict.noSuchModel': 'There is no model with the id "{id}" (was it removed?).',
  'predict.drawingSize': 'The drawing must be between 1×1 and {max}×{max} pixels (got {width}×{height}).',
  'predict.drawingBytes': "The drawing's pixels don't match its size: {width}×{height} needs {need} bytes, got {got}.",
  'predict.inputSize': 'The input must be 28×28 = {pixels} pixels (got {got} bytes).',
  'predict.openDigit': 'Open a picture of a digit',
  'predict.openNumber': 'Open a picture of a number',
  'predict.inputNotImage': 'input {index} is not a 28×28 image (784 values)',
  'predict.theInputNotImage': 'the input is not a 28×28 image (784 values)',
  'predict.inputPixels': 'input {index} has {count} pixels; a digit is 28×28 = 784',
  'predict.theInputPixels': 'the input has {count} pixels; a digit is 28×28 = 784',
  'predict.canceled': 'the prediction was canceled',
  'read.tooManyMarks': '{file}: more than {max} separate marks of ink; this does not look like handwritten digits (is it text, a pattern or a very noisy photo?)',
  'read.notVerifier': '{file}: not a read verifier (it must take 28×28×2 and give 1 number; it takes {input} and gives {output})',
  'read.blank': '{file}: no ink found; the picture looks blank',
  'read.specks': '{file}: no digits found; there are only specks of ink',
  'read.tooManyDigits': '{file}: found {count} separate marks; at most {max} digits are read from one picture',
  'read.theDrawing': 'the drawing',
  'read.drawingSize': "the drawing's pixels don't match its size ({width}×{height})",
} as const;
