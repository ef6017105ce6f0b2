// Menus and native dialogs, in Bengali.
import type { menus as en } from '../en/menus';
import type { Translation } from '../shape';

export const menus: Translation<typeof en> = {
  'menu.file': '&ফাইল',
  'menu.view': '&দেখুন',
  'menu.help': '&সাহায্য',
  'menu.language': '&ভাষা',
  'menu.importDataset': 'ডেটাসেট আনুন…',
  'menu.importFolder': 'ফোল্ডার আনুন…',
  'menu.openImage': 'ছবি খুলুন…',
  'menu.openRecent': 'সাম্প্রতিক ফাইল',
  'menu.clearRecent': 'সাম্প্রতিক তালিকা মুছুন',
  'menu.noRecent': 'কোনো সাম্প্রতিক ফাইল নেই',
  'menu.showDataDir': 'ডেটা ফোল্ডার দেখান',
  'menu.moveDataDir': 'ডেটা ফোল্ডার সরান…',
  'menu.resetDataDir': 'ডেটা ফোল্ডার নতুন করে শুরু করুন…',
  'menu.about': '{app} সম্পর্কে',
  'menu.mnistPage': 'MNIST ডেটাসেটের ওয়েবসাইট',
  'menu.showLog': 'লগ ফাইল দেখান',
  'menu.bengaliDigits': 'সংখ্যা বাংলা অঙ্কে দেখান (০–৯)',
  'dialog.allFiles': 'সব ফাইল',
};
