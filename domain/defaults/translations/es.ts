// Español: the server's default texts (questionnaire, channels, acknowledgement, <noscript> text,
// emergency contacts), keyed by their English text. server/translations/index.ts adds them beside
// English and French.
export const es: Readonly<Record<string, string>> = {
  // Questionnaire: what happened (the categories and processes carry their own labels: domain/categories.ts)
  'What happened': 'Qué ocurrió',
  'Category': 'Categoría',
  'In your own words: what happened, and what makes you think it is wrong.': 'Con sus propias palabras: qué ocurrió y por qué cree que no es correcto.',
  'Is anyone in immediate danger to life or safety?': '¿Hay alguien cuya vida o seguridad corra un peligro inmediato?',
  // Where
  'Where': 'Dónde',
  'Customs office, port, border post, airport or depot': 'Oficina de aduanas, puerto, puesto fronterizo, aeropuerto o depósito',
  'Process involved': 'Procedimiento afectado',
  // When
  'When': 'Cuándo',
  'Date (or start date)': 'Fecha (o fecha de inicio)',
  'End date, if it lasted': 'Fecha de fin, si se prolongó en el tiempo',
  'Is it still happening?': '¿Sigue ocurriendo?',
  // Who, and the kinds of company
  'Who': 'Quién',
  'People involved': 'Personas implicadas',
  'Name': 'Nombre',
  'Role or unit': 'Cargo o unidad',
  'Badge number, if known': 'Número de placa o de identificación, si lo sabe',
  'Companies involved': 'Empresas implicadas',
  'Company name': 'Nombre de la empresa',
  'Kind': 'Tipo',
  'Importer': 'Importador',
  'Exporter': 'Exportador',
  'Customs broker': 'Agente de aduanas',
  'Forwarder': 'Transitario (agente de carga)',
  'Carrier': 'Transportista',
  'Other': 'Otro',
  // References
  'References': 'Referencias',
  'Declaration or entry number': 'Número de declaración',
  'Manifest, bill of lading, air waybill, container, vessel, flight or plate': 'Manifiesto, conocimiento de embarque, guía aérea, contenedor, buque, vuelo o matrícula',
  'Goods and HS code': 'Mercancías y código SA',
  // Money, and the forms of payment
  'Money': 'Dinero',
  'Amount asked or paid': 'Cantidad pedida o pagada',
  'Currency': 'Moneda',
  'Form of payment': 'Forma de pago',
  'Cash': 'Efectivo',
  'Mobile money': 'Pago móvil',
  'Goods': 'Bienes o mercancías',
  'A favour': 'Un favor',
  // How you know, and the relationship to customs
  'How you know': 'Cómo lo sabe',
  'How do you know?': '¿Cómo lo sabe?',
  'I was involved': 'Participé en los hechos',
  'I saw it': 'Lo vi',
  'I heard it from others': 'Me lo contaron otras personas',
  'From documents': 'Por documentos',
  'Your relationship to customs': 'Su relación con la aduana',
  'Customs staff': 'Personal de aduanas',
  'Trader': 'Operador de comercio exterior',
  'Broker': 'Agente de aduanas',
  'Traveller': 'Viajero',
  'Other official': 'Otro funcionario público',
  'Member of the public': 'Persona particular',
  'Have you reported this elsewhere?': '¿Ha denunciado esto en otro lugar?',
  // Identity
  'Your identity (optional)': 'Su identidad (opcional)',
  'Your name': 'Su nombre',
  'How to reach you': 'Cómo comunicarnos con usted',
  // Channels (server/channels-default.ts)
  'For customs officers and employees: misconduct by colleagues or managers, pressure to look away, leaks, unfair postings.': 'Para funcionarios y empleados de aduanas: faltas de colegas o superiores, presiones para mirar hacia otro lado, filtraciones, asignaciones de puesto injustas.',
  'Traders, brokers, travellers and the public': 'Operadores, agentes de aduanas, viajeros y público',
  'For anyone dealing with customs: requests for payments, threats, goods held without reason, officials favouring others.': 'Para toda persona que trate con la aduana: peticiones de pagos, amenazas, mercancías retenidas sin motivo, funcionarios que favorecen a otros.',
  // Acknowledgement template (server/init.ts)
  'Thank you. We have received your report and will look into it. You can follow its progress and answer our questions here with your receipt code.': 'Gracias. Hemos recibido su denuncia y la examinaremos. Puede seguir su tramitación y responder a nuestras preguntas aquí con su código de recibo.',
  // <noscript> text and emergency contacts (server/plugins/static-pages.ts)
  'Reports are encrypted in your browser before they are sent, and that needs JavaScript. Turn it on for this page (in Tor Browser: the shield icon, then "Standard" security level), or reach the integrity unit another way: by post or in person at its office, or through a person you trust.': 'Las denuncias se cifran en su navegador antes de enviarse, y eso requiere JavaScript. Actívelo para esta página (en Tor Browser: el icono del escudo y luego el nivel de seguridad «Estándar»), o comuníquese con la unidad de integridad de otra forma: por correo postal o en persona en la oficina de la unidad, o a través de una persona de confianza.',
  'If someone is in immediate danger, call the local emergency number now (112 in many countries, 911 in others). This service is not watched around the clock and cannot send help.': 'Si alguien está en peligro inmediato, llame ahora al número de emergencias local (112 en muchos países, 911 en otros). Este servicio no se atiende las 24 horas y no puede enviar ayuda.',
};
