// Files and folders that can't be read or written (main/util/).
export const files = {
  'fs.notFound': '{file}: not found',
  'fs.permission': '{file}: permission denied',
  'fs.readOnly': '{file}: the folder is read-only',
  'fs.diskFull': '{file}: the disk is full',
  'fs.isFolder': '{file}: is a folder, not a file',
  'fs.isFile': '{file}: is a file, not a folder',
  'fs.other': '{file}: {cause}',
  'fs.why.isFolder': 'is a folder, not a file',
  'fs.why.notRegular': 'is not a regular file (a device, pipe or socket), so it is not read',
  'fs.notRegular': '{file}: {why}',
  'fs.what.file': 'file',
  'fs.what.image': 'the image file',
  'fs.tooLarge': '{file}: {what} is too large ({size} bytes, limit {max})',
  'fs.tooLargeGrew': '{file}: {what} is too large (over {max} bytes)',
} as const;
