// Every word the hosted pages show, in English and Arabic (CONTRACT §6.3), reviewed in one place.
import type { CardErrorKey } from './cards.js'

export type Language = 'en' | 'ar'

export interface PageText {
  dir: 'ltr' | 'rtl'
  title: string
  testBanner: string
  merchant: string
  amount: string
  orderId: string
  note: string
  cardNumber: string
  expiry: string
  expiryHint: string
  cvv: string
  holderName: string
  pay: string
  cancel: string
  fixErrors: string
  cvvAgain: string
  testCards: string
  testCardsIntro: string
  /** Shown when checkout asked for save_token (CONTRACT §6.6); the merchant's name is already HTML. */
  saveCard: (merchantHtml: string) => string
  cardColumn: string
  outcomeColumn: string
  anyOtherCard: string
  approved: string
  cancelButton: string
  cancelOutcome: string
  errors: Record<CardErrorKey, string>
  threeDsTitle: string
  threeDsBank: string
  threeDsIntro: string
  approve: string
  fail: string
  card: string
  successTitle: string
  successRedirect: (seconds: number) => string
  successStay: string
  continue: string
  transactionId: string
  authCode: string
  responseCode: string
  failedTitle: string
  finishedIntro: string
  statusLabel: string
  /** The outcome's description in this language, by response code (the API's stays English). */
  descriptions: Record<string, string>
  expiredTitle: string
  expiredIntro: string
  returnToMerchant: string
  status: { SUCCESS: string, FAILURE: string, PENDING: string }
  notFoundTitle: string
  notFoundIntro: string
}

/** "You will be returned in N seconds", with Arabic's number agreement (1, 2, 3–10, 11+). */
function arabicSeconds (s: number): string {
  if (s === 0) return 'تجري إعادتك إلى التاجر.'
  const span = s === 1 ? 'ثانية واحدة' : s === 2 ? 'ثانيتين' : s <= 10 ? `${s} ثوانٍ` : `${s} ثانية`
  return `ستعود إلى التاجر خلال ${span}.`
}

export const PAGE_TEXT: Record<Language, PageText> = {
  en: {
    dir: 'ltr',
    title: 'Payment',
    testBanner: 'fatora-mock test payment page: no real card is charged',
    merchant: 'Merchant',
    amount: 'Amount',
    orderId: 'Order',
    note: 'Note',
    cardNumber: 'Card number',
    expiry: 'Expiry date',
    expiryHint: 'MM/YY',
    cvv: 'CVV',
    holderName: 'Name on card',
    pay: 'Pay',
    cancel: 'Cancel',
    fixErrors: 'Please correct the highlighted fields.',
    cvvAgain: 'For your security, enter the CVV again.',
    testCards: 'Test cards',
    testCardsIntro: 'Any future expiry date and any 3\u2011digit CVV.',
    saveCard: (merchant) => `${merchant} will save this card for future payments (credit cards only).`,
    cardColumn: 'Card number',
    outcomeColumn: 'Outcome',
    anyOtherCard: 'Any other valid card number',
    approved: 'Approved',
    cancelButton: 'The Cancel button',
    cancelOutcome: 'Cancelled by the card holder (100)',
    errors: {
      numberMissing: 'Enter the card number.',
      numberInvalid: 'This card number is not valid.',
      expiryInvalid: 'Enter the expiry date as MM/YY.',
      expiryPast: 'This card has expired.',
      cvvInvalid: 'The CVV is 3 or 4 digits.',
      holderMissing: 'Enter the name on the card.',
      holderTooLong: 'The name is at most 100 characters.',
    },
    threeDsTitle: '3-D Secure',
    threeDsBank: 'Mock bank',
    threeDsIntro: 'Your bank asks you to confirm this payment.',
    approve: 'Approve',
    fail: 'Fail',
    card: 'Card',
    successTitle: 'Payment successful',
    successRedirect: (s) => s === 0 ? 'You are being returned to the merchant.' : `You will be returned to the merchant in ${s} second${s === 1 ? '' : 's'}.`,
    successStay: 'You can close this page.',
    continue: 'Continue',
    transactionId: 'Transaction',
    authCode: 'Authorisation code',
    responseCode: 'Response code',
    failedTitle: 'Payment failed',
    finishedIntro: 'This payment is finished: it cannot be paid again.',
    statusLabel: 'Status',
    descriptions: {},
    expiredTitle: 'This payment page has expired',
    expiredIntro: 'Ask the merchant for a new payment link.',
    returnToMerchant: 'Return to the merchant',
    status: { SUCCESS: 'Paid', FAILURE: 'Not paid', PENDING: 'Waiting for payment' },
    notFoundTitle: 'Payment not found',
    notFoundIntro: 'This payment link is not valid. Check the link or ask the merchant for a new one.',
  },
  ar: {
    dir: 'rtl',
    title: 'الدفع',
    testBanner: 'صفحة دفع تجريبية من fatora-mock: لا تُخصم أي مبالغ من بطاقة حقيقية',
    merchant: 'التاجر',
    amount: 'المبلغ',
    orderId: 'الطلب',
    note: 'ملاحظة',
    cardNumber: 'رقم البطاقة',
    expiry: 'تاريخ الانتهاء',
    expiryHint: 'MM/YY',
    cvv: 'رمز التحقق CVV',
    holderName: 'الاسم على البطاقة',
    pay: 'ادفع',
    cancel: 'إلغاء',
    fixErrors: 'يرجى تصحيح الحقول المحددة.',
    cvvAgain: 'لأمانك، أدخل رمز التحقق مرة أخرى.',
    testCards: 'بطاقات الاختبار',
    testCardsIntro: 'أي تاريخ انتهاء مستقبلي وأي رمز تحقق من 3 أرقام.',
    saveCard: (merchant) => `سيحفظ ${merchant} هذه البطاقة للمدفوعات القادمة (بطاقات الائتمان فقط).`,
    cardColumn: 'رقم البطاقة',
    outcomeColumn: 'النتيجة',
    anyOtherCard: 'أي رقم بطاقة صالح آخر',
    approved: 'مقبولة',
    cancelButton: 'زر الإلغاء',
    cancelOutcome: 'ألغاها حامل البطاقة (100)',
    errors: {
      numberMissing: 'أدخل رقم البطاقة.',
      numberInvalid: 'رقم البطاقة غير صالح.',
      expiryInvalid: 'أدخل تاريخ الانتهاء بالصيغة MM/YY.',
      expiryPast: 'انتهت صلاحية هذه البطاقة.',
      cvvInvalid: 'رمز التحقق من 3 أو 4 أرقام.',
      holderMissing: 'أدخل الاسم على البطاقة.',
      holderTooLong: 'الاسم 100 حرف على الأكثر.',
    },
    threeDsTitle: 'التحقق ثلاثي الأبعاد (3-D Secure)',
    threeDsBank: 'البنك التجريبي',
    threeDsIntro: 'يطلب منك البنك تأكيد عملية الدفع هذه.',
    approve: 'موافقة',
    fail: 'رفض',
    card: 'البطاقة',
    successTitle: 'تمت عملية الدفع بنجاح',
    successRedirect: arabicSeconds,
    successStay: 'يمكنك إغلاق هذه الصفحة.',
    continue: 'متابعة',
    transactionId: 'رقم العملية',
    authCode: 'رمز التفويض',
    responseCode: 'رمز الاستجابة',
    failedTitle: 'لم تتم عملية الدفع',
    finishedIntro: 'انتهت هذه العملية: لا يمكن الدفع مرة أخرى.',
    statusLabel: 'الحالة',
    descriptions: {
      '000': 'تمت العملية بنجاح - مقبولة',
      '005': 'رُفضت العملية - عدم الوفاء',
      '051': 'رُفضت العملية - رصيد غير كافٍ',
      '054': 'رُفضت العملية - بطاقة منتهية الصلاحية',
      100: 'ألغاها حامل البطاقة',
      101: 'فشل التحقق',
      102: 'انتهت صلاحية صفحة الدفع',
    },
    expiredTitle: 'انتهت صلاحية صفحة الدفع هذه',
    expiredIntro: 'اطلب من التاجر رابط دفع جديدًا.',
    returnToMerchant: 'العودة إلى التاجر',
    status: { SUCCESS: 'مدفوعة', FAILURE: 'غير مدفوعة', PENDING: 'بانتظار الدفع' },
    notFoundTitle: 'عملية الدفع غير موجودة',
    notFoundIntro: 'رابط الدفع هذا غير صالح. تحقق من الرابط أو اطلب من التاجر رابطًا جديدًا.',
  },
}
