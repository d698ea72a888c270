// العربية (Arabic): the server's default texts (questionnaire, channels, acknowledgement, <noscript> text,
// emergency contacts), keyed by their English text. server/translations/index.ts adds them beside
// English and French.
export const ar: Readonly<Record<string, string>> = {
  // Questionnaire: what happened, and the categories.
  'What happened': 'ما الذي حدث',
  'Category': 'الفئة',
  'In your own words: what happened, and what makes you think it is wrong.': 'بأسلوبك الخاص: ما الذي حدث، وما الذي يجعلك تعتقد أنه غير سليم.',
  'Is anyone in immediate danger to life or safety?': 'هل يوجد شخص في خطر مباشر على حياته أو سلامته؟',

  // Where.
  'Where': 'أين',
  'Customs office, port, border post, airport or depot': 'المكتب الجمركي أو الميناء أو المركز الحدودي أو المطار أو المستودع',
  'Process involved': 'الإجراء المعني',

  // When.
  'When': 'متى',
  'Date (or start date)': 'التاريخ (أو تاريخ البدء)',
  'End date, if it lasted': 'تاريخ الانتهاء، إن استمر الأمر مدة من الزمن',
  'Is it still happening?': 'هل ما زال الأمر مستمرًا؟',

  // Who.
  'Who': 'من',
  'People involved': 'الأشخاص المعنيون',
  'Name': 'الاسم',
  'Role or unit': 'الوظيفة أو الوحدة',
  'Badge number, if known': 'رقم الشارة أو الرقم الوظيفي، إن كان معروفًا',
  'Companies involved': 'الشركات المعنية',
  'Company name': 'اسم الشركة',
  'Kind': 'النوع',
  'Importer': 'مستورد',
  'Exporter': 'مصدّر',
  'Customs broker': 'مخلّص جمركي',
  'Forwarder': 'وكيل شحن',
  'Carrier': 'ناقل',
  'Other': 'غير ذلك',

  // References.
  'References': 'الأرقام المرجعية',
  'Declaration or entry number': 'رقم البيان الجمركي',
  'Manifest, bill of lading, air waybill, container, vessel, flight or plate': 'بيان الحمولة (المانيفست)، أو بوليصة الشحن، أو بوليصة الشحن الجوي، أو الحاوية، أو السفينة، أو الرحلة، أو لوحة المركبة',
  'Goods and HS code': 'البضائع ورمز النظام المنسق',

  // Money.
  'Money': 'المال',
  'Amount asked or paid': 'المبلغ المطلوب أو المدفوع',
  'Currency': 'العملة',
  'Form of payment': 'طريقة الدفع',
  'Cash': 'نقدًا',
  'Mobile money': 'تحويل عبر الهاتف المحمول',
  'Goods': 'بضائع',
  'A favour': 'خدمة أو منفعة',

  // How you know.
  'How you know': 'مصدر معلوماتك',
  'How do you know?': 'كيف عرفت بالأمر؟',
  'I was involved': 'كنت طرفًا فيه',
  'I saw it': 'رأيته بنفسي',
  'I heard it from others': 'سمعته من آخرين',
  'From documents': 'من خلال وثائق',
  'Your relationship to customs': 'علاقتك بالجمارك',
  'Customs staff': 'موظفو الجمارك',
  'Trader': 'تاجر',
  'Broker': 'مخلّص جمركي',
  'Traveller': 'مسافر',
  'Other official': 'موظف حكومي آخر',
  'Member of the public': 'فرد من الجمهور',
  'Have you reported this elsewhere?': 'هل أبلغت جهة أخرى بهذا الأمر؟',

  // Identity.
  'Your identity (optional)': 'هويتك (اختياري)',
  'Your name': 'اسمك',
  'How to reach you': 'كيف يمكن التواصل معك',

  // Channels.
  'For customs officers and employees: misconduct by colleagues or managers, pressure to look away, leaks, unfair postings.':
    'لضباط الجمارك وموظفيها: مخالفات الزملاء أو المديرين، أو الضغط لغضّ الطرف، أو التسريبات، أو التعيينات غير العادلة.',
  'Traders, brokers, travellers and the public': 'التجار والمخلّصون الجمركيون والمسافرون والجمهور',
  'For anyone dealing with customs: requests for payments, threats, goods held without reason, officials favouring others.':
    'لكل من يتعامل مع الجمارك: طلب مبالغ مالية، أو تهديدات، أو حجز بضائع دون سبب، أو موظفون يحابون غيرك.',

  // Acknowledgement template.
  'Thank you. We have received your report and will look into it. You can follow its progress and answer our questions here with your receipt code.':
    'شكرًا لك. لقد تلقّينا بلاغك وسننظر فيه. يمكنك متابعة سيره والإجابة عن أسئلتنا هنا باستخدام رمز الإيصال.',

  // The <noscript> text and the emergency contacts (server/plugins/static-pages.ts).
  'Reports are encrypted in your browser before they are sent, and that needs JavaScript. Turn it on for this page (in Tor Browser: the shield icon, then "Standard" security level), or reach the integrity unit another way: by post or in person at its office, or through a person you trust.':
    'تُشفَّر البلاغات في متصفحك قبل إرسالها، وهذا يتطلب JavaScript. فعِّله لهذه الصفحة (في Tor Browser: أيقونة الدرع، ثم مستوى الأمان «قياسي» أو Standard)، أو تواصل مع وحدة النزاهة بطريقة أخرى: بالبريد أو بالحضور إلى مكتبها، أو عن طريق شخص تثق به.',
  'If someone is in immediate danger, call the local emergency number now (112 in many countries, 911 in others). This service is not watched around the clock and cannot send help.':
    'إذا كان أحد في خطر مباشر، فاتصل الآن برقم الطوارئ المحلي (112 في كثير من البلدان، و911 في بلدان أخرى). هذه الخدمة غير مراقَبة على مدار الساعة، ولا يمكنها إرسال المساعدة.',
};
