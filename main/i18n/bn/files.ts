// Files and folders that can't be read or written (main/util/), in Bengali.
import type { files as en } from '../en/files';
import type { Translation } from '../shape';

export const files: Translation<typeof en> = {
  'fs.notFound': '{file}: খুঁজে পাওয়া যায়নি',
  'fs.permission': '{file}: অনুমতি নেই',
  'fs.readOnly': '{file}: ফোল্ডারটি শুধু পড়া যায়, এতে লেখা যায় না',
  'fs.diskFull': '{file}: ডিস্কে আর জায়গা নেই',
  'fs.isFolder': '{file}: এটি একটি ফোল্ডার, ফাইল নয়',
  'fs.isFile': '{file}: এটি একটি ফাইল, ফোল্ডার নয়',
  'fs.other': '{file}: {cause}',
  'fs.why.isFolder': 'এটি একটি ফোল্ডার, ফাইল নয়',
  'fs.why.notRegular': 'এটি সাধারণ ফাইল নয় (ডিভাইস, পাইপ বা সকেট), তাই পড়া হয়নি',
  'fs.notRegular': '{file}: {why}',
  'fs.what.file': 'ফাইলটি',
  'fs.what.image': 'ছবির ফাইলটি',
  'fs.tooLarge': '{file}: {what} খুব বড় ({size} বাইট, সীমা {max})',
  'fs.tooLargeGrew': '{file}: {what} খুব বড় ({max} বাইটের বেশি)',
} as const;
