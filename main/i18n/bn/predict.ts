// Reading digits and numbers, in Bengali.
import type { predict as en } from '../en/predict';
import type { Translation } from '../shape';

export const predict: Translation<typeof en> = {
  'predict.noModel': 'আগে একটি মডেল প্রশিক্ষণ দিন: এখনো কোনো মডেল নেই। Train পাতায় একটি রান শুরু করুন; এক-দুই মিনিট লাগে।',
  'predict.noSuchModel': '"{id}" আইডির কোনো মডেল নেই (মুছে ফেলা হয়েছে কি?)।',
  'predict.drawingSize': 'আঁকাটি 1×1 থেকে {max}×{max} পিক্সেলের মধ্যে হতে হবে (পাওয়া গেছে {width}×{height})।',
  'predict.drawingBytes': 'আঁকার পিক্সেল তার আকারের সঙ্গে মেলে না: {width}×{height}-এর জন্য {need} বাইট দরকার, পাওয়া গেছে {got}।',
  'predict.inputSize': 'ইনপুট হতে হবে 28×28 = {pixels} পিক্সেল (পাওয়া গেছে {got} বাইট)।',
  'predict.openDigit': 'একটি অঙ্কের ছবি খুলুন',
  'predict.openNumber': 'একটি সংখ্যার ছবি খুলুন',
  'predict.inputNotImage': '{index} নম্বর ইনপুট 28×28 ছবি নয় (784টি মান দরকার)',
  'predict.theInputNotImage': 'ইনপুটটি 28×28 ছবি নয় (784টি মান দরকার)',
  'predict.inputPixels': '{index} নম্বর ইনপুটে {count}টি পিক্সেল; একটি অঙ্ক হলো 28×28 = 784',
  'predict.theInputPixels': 'ইনপুটে {count}টি পিক্সেল; একটি অঙ্ক হলো 28×28 = 784',
  'predict.canceled': 'পড়া বাতিল করা হয়েছে',
  'read.tooManyMarks': '{file}: কালির {max}টির বেশি আলাদা দাগ; এটি হাতে লেখা অঙ্ক বলে মনে হয় না (এটি কি লেখা, নকশা, নাকি খুব ঝাপসা ছবি?)',
  'read.notVerifier': '{file}: এটি পড়ার যাচাইকারী নয় (এটির ইনপুট 28×28×2 আর আউটপুট 1টি সংখ্যা হওয়ার কথা; এটি নেয় {input}, দেয় {output})',
  'read.blank': '{file}: কোনো কালি পাওয়া যায়নি; ছবিটি ফাঁকা মনে হচ্ছে',
  'read.specks': '{file}: কোনো অঙ্ক পাওয়া যায়নি; শুধু কালির ছোট ছোট ফোঁটা আছে',
  'read.tooManyDigits': '{file}: {count}টি আলাদা দাগ পাওয়া গেছে; একটি ছবি থেকে সর্বোচ্চ {max}টি অঙ্ক পড়া হয়',
  'read.theDrawing': 'আঁকাটি',
  'read.drawingSize': 'আঁকার পিক্সেল তার আকারের সঙ্গে মেলে না ({width}×{height})',
};
