// The category codes of DOMAIN.md and the customs processes of the integrity risk map, with their
// labels in the four languages of the pages. Codes are stable across languages and versions: the
// triage, the statistics and the default questionnaire's category question all use them, and the
// console shows them by these labels, the same texts the reporter chose from.
import type { LocalText } from './vocabulary.js';

export const CATEGORY_CODES = [
  'BRIBERY', 'FACILITATION_PAYMENT', 'EXTORTION', 'VALUATION_CLASSIFICATION_ORIGIN', 'SMUGGLING_FACILITATION',
  'INFORMATION_MISUSE', 'EXEMPTION_ABUSE', 'AUDIT_INTERFERENCE', 'THEFT_EMBEZZLEMENT', 'PROCUREMENT_FRAUD', 'NEPOTISM_HR',
  'CONFLICT_OF_INTEREST', 'PREFERENTIAL_TREATMENT', 'WORKPLACE_MISCONDUCT', 'RETALIATION', 'TRADER_FRAUD', 'OTHER',
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

/** A stable code and its label per locale. */
export interface Coded<V extends string = string> {
  value: V;
  label: LocalText;
}

/** Each category as the reporter chooses it (the default questionnaire's `category` options). */
export const CATEGORIES: readonly Coded<CategoryCode>[] = [
  { value: 'BRIBERY', label: { en: "Bribery: a payment, gift or favour asked for or accepted", fr: "Corruption : paiement, cadeau ou faveur demandé ou accepté", es: "Soborno: un pago, regalo o favor pedido o aceptado", ar: "الرشوة: طلب مال أو هدية أو منفعة، أو قبولها" } },
  { value: 'FACILITATION_PAYMENT', label: { en: "Facilitation payment (\"speed money\") for a lawful clearance", fr: "Paiement de facilitation pour un dédouanement légal", es: "Pago de facilitación («para agilizar trámites») por un despacho legal", ar: "مدفوعات التسهيل («مال التسريع») مقابل تخليص جمركي مشروع" } },
  { value: 'EXTORTION', label: { en: "Extortion: threats, invented fees, goods held until someone pays", fr: "Extorsion : menaces, frais inventés, marchandises retenues", es: "Extorsión: amenazas, tasas inventadas, mercancías retenidas hasta que alguien pague", ar: "الابتزاز: تهديدات، أو رسوم مختلَقة، أو حجز البضائع حتى يدفع أحدهم" } },
  { value: 'VALUATION_CLASSIFICATION_ORIGIN', label: { en: "Undervaluation, wrong tariff classification or false origin accepted", fr: "Sous-évaluation, classement tarifaire erroné ou fausse origine acceptés", es: "Subvaloración, clasificación arancelaria errónea u origen falso aceptados", ar: "قبول قيمة أقل من الحقيقية، أو تصنيف تعريفي خاطئ، أو منشأ مزيّف" } },
  { value: 'SMUGGLING_FACILITATION', label: { en: "Letting contraband, drugs, people or undeclared cargo through", fr: "Laisser passer contrebande, drogues, personnes ou marchandises non déclarées", es: "Dejar pasar contrabando, drogas, personas o carga no declarada", ar: "السماح بمرور المهرّبات أو المخدرات أو الأشخاص أو بضائع غير مصرّح بها" } },
  { value: 'INFORMATION_MISUSE', label: { en: "Leaking enforcement or targeting information; tampering with risk flags", fr: "Fuite d’informations de contrôle ou de ciblage ; falsification des alertes", es: "Filtrar información de control o de selección de objetivos; manipular alertas de riesgo", ar: "تسريب معلومات المكافحة أو الاستهداف؛ التلاعب بمؤشرات المخاطر" } },
  { value: 'EXEMPTION_ABUSE', label: { en: "Fraud in drawback, suspension, warehousing, exemptions or AEO approvals", fr: "Fraude aux drawbacks, suspensions, entrepôts, exonérations ou agréments OEA", es: "Fraude en devolución de derechos (drawback), regímenes suspensivos, depósito aduanero, exenciones o autorizaciones OEA", ar: "الاحتيال في رد الرسوم أو وقفها، أو المستودعات الجمركية، أو الإعفاءات، أو منح صفة المشغل الاقتصادي المعتمد" } },
  { value: 'AUDIT_INTERFERENCE', label: { en: "Influencing inspection or post-clearance audit findings", fr: "Influence sur les résultats d’inspection ou de contrôle a posteriori", es: "Influir en los resultados de una inspección o de un control a posteriori", ar: "التأثير في نتائج المعاينة أو التدقيق اللاحق للتخليص" } },
  { value: 'THEFT_EMBEZZLEMENT', label: { en: "Theft of seized goods, funds or property", fr: "Vol de marchandises saisies, de fonds ou de biens", es: "Robo de mercancías incautadas, de fondos o de bienes", ar: "سرقة البضائع المضبوطة أو الأموال أو الممتلكات" } },
  { value: 'PROCUREMENT_FRAUD', label: { en: "Bid rigging or kickbacks in customs procurement", fr: "Trucage d’appels d’offres ou rétrocommissions dans les achats", es: "Licitaciones amañadas o comisiones ilegales en las compras de la aduana", ar: "التلاعب بالمناقصات أو العمولات غير المشروعة في مشتريات الجمارك" } },
  { value: 'NEPOTISM_HR', label: { en: "Favouritism in recruitment, promotion, rotation or postings", fr: "Favoritisme dans le recrutement, les promotions ou les affectations", es: "Favoritismo en la selección de personal, los ascensos, la rotación o las asignaciones de puesto", ar: "المحاباة في التوظيف أو الترقية أو تدوير الموظفين أو توزيعهم على المواقع" } },
  { value: 'CONFLICT_OF_INTEREST', label: { en: "Undeclared interests; links with traders or criminal groups", fr: "Intérêts non déclarés ; liens avec des opérateurs ou des groupes criminels", es: "Intereses no declarados; vínculos con operadores o grupos delictivos", ar: "مصالح غير مُفصَح عنها؛ صلات بتجار أو بجماعات إجرامية" } },
  { value: 'PREFERENTIAL_TREATMENT', label: { en: "Favouring particular traders, brokers or travellers", fr: "Traitement de faveur pour certains opérateurs, commissionnaires ou voyageurs", es: "Favorecer a ciertos operadores, agentes de aduanas o viajeros", ar: "محاباة تجار أو مخلّصين جمركيين أو مسافرين بعينهم" } },
  { value: 'WORKPLACE_MISCONDUCT', label: { en: "Harassment, discrimination, abuse of authority, excessive force", fr: "Harcèlement, discrimination, abus d’autorité, usage excessif de la force", es: "Acoso, discriminación, abuso de autoridad, uso excesivo de la fuerza", ar: "التحرش، أو التمييز، أو إساءة استعمال السلطة، أو الاستخدام المفرط للقوة" } },
  { value: 'RETALIATION', label: { en: "Reprisals against someone who reported", fr: "Représailles contre une personne ayant signalé", es: "Represalias contra alguien que denunció", ar: "الانتقام من شخص قدّم بلاغًا" } },
  { value: 'TRADER_FRAUD', label: { en: "Customs fraud by a trader with no official involved", fr: "Fraude douanière d’un opérateur sans agent impliqué", es: "Fraude aduanero de un operador sin participación de ningún funcionario", ar: "احتيال جمركي من تاجر دون تورّط أي موظف" } },
  { value: 'OTHER', label: { en: "Something else", fr: "Autre chose", es: "Otra cosa", ar: "أمر آخر" } },
];

/** The customs processes of the risk map (WCO Revised Arusha Declaration); administrators may add their own. */
export const PROCESSES: readonly Coded[] = [
  { value: 'declaration', label: { en: "Declaration processing", fr: "Traitement des déclarations", es: "Tramitación de declaraciones", ar: "معالجة البيان الجمركي" } },
  { value: 'valuation_classification', label: { en: "Valuation and classification", fr: "Valeur et classement", es: "Valoración y clasificación", ar: "التقييم الجمركي والتصنيف التعريفي" } },
  { value: 'examination', label: { en: "Physical examination", fr: "Visite physique", es: "Reconocimiento físico", ar: "المعاينة الفعلية للبضائع" } },
  { value: 'release', label: { en: "Release", fr: "Mainlevée", es: "Levante", ar: "الإفراج عن البضائع" } },
  { value: 'post_clearance_audit', label: { en: "Post-clearance audit", fr: "Contrôle a posteriori", es: "Control a posteriori", ar: "التدقيق اللاحق للتخليص" } },
  { value: 'exemptions_drawback', label: { en: "Exemptions and drawback", fr: "Exonérations et drawback", es: "Exenciones y devolución de derechos (drawback)", ar: "الإعفاءات ورد الرسوم" } },
  { value: 'licensing', label: { en: "Licensing", fr: "Agréments et licences", es: "Autorizaciones y licencias", ar: "التراخيص" } },
  { value: 'passenger_control', label: { en: "Passenger control", fr: "Contrôle des voyageurs", es: "Control de viajeros", ar: "الرقابة على المسافرين" } },
  { value: 'procurement', label: { en: "Procurement", fr: "Achats publics", es: "Contratación pública", ar: "المشتريات" } },
  { value: 'human_resources', label: { en: "Human resources", fr: "Ressources humaines", es: "Recursos humanos", ar: "الموارد البشرية" } },
];

export const KNOWN_PROCESSES: readonly string[] = PROCESSES.map((p) => p.value);
