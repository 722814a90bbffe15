// Swedish profile: a compact BAS 2024 chart (aktiebolag). VAT lives in the BAS 26xx
// accounts; the tax codes are the source system's own (Fortnox-style), with no standard code.
import type { AccountType } from '../../model/index.ts';
import type { ChartAccount, CountryProfile } from '../country-profile.ts';
import type { Random } from '../random.ts';

function acc(id: string, name: string, type: AccountType, vatCode: string | null = null): ChartAccount {
  return { id, name, type, standardAccountId: null, groupingCategory: null, groupingCode: null, vatCode, extra: null };
}

const accounts: ChartAccount[] = [
  acc('1220', 'Inventarier och verktyg', 'asset'),
  acc('1229', 'Ackumulerade avskrivningar på inventarier och verktyg', 'asset'),
  acc('1240', 'Bilar och andra transportmedel', 'asset'),
  acc('1249', 'Ackumulerade avskrivningar på bilar och andra transportmedel', 'asset'),
  acc('1510', 'Kundfordringar', 'asset'),
  acc('1930', 'Företagskonto/checkkonto/affärskonto', 'asset'),
  acc('2081', 'Aktiekapital', 'equity'),
  acc('2091', 'Balanserad vinst eller förlust', 'equity'),
  acc('2099', 'Årets resultat', 'equity'),
  acc('2350', 'Andra långfristiga skulder till kreditinstitut', 'liability'),
  acc('2440', 'Leverantörsskulder', 'liability'),
  acc('2611', 'Utgående moms på försäljning inom Sverige, 25 %', 'liability', 'MP1'),
  acc('2621', 'Utgående moms på försäljning inom Sverige, 12 %', 'liability', 'MP2'),
  acc('2631', 'Utgående moms på försäljning inom Sverige, 6 %', 'liability', 'MP3'),
  acc('2641', 'Debiterad ingående moms', 'liability', 'I'),
  acc('2650', 'Redovisningskonto för moms', 'liability'),
  acc('2710', 'Personalskatt', 'liability'),
  acc('2731', 'Avräkning lagstadgade sociala avgifter', 'liability'),
  acc('3001', 'Försäljning inom Sverige, 25 % moms', 'income', 'MP1'),
  acc('3002', 'Försäljning inom Sverige, 12 % moms', 'income', 'MP2'),
  acc('3003', 'Försäljning inom Sverige, 6 % moms', 'income', 'MP3'),
  acc('3108', 'Försäljning varor till annat EU-land, momsfri', 'income', 'MF'),
  acc('3960', 'Valutakursvinster på fordringar och skulder av rörelsekaraktär', 'income'),
  acc('4010', 'Inköp material och varor', 'expense', 'I'),
  acc('4600', 'Legoarbeten och underentreprenader', 'expense', 'I'),
  acc('5010', 'Lokalhyra', 'expense'),
  acc('5020', 'El för belysning', 'expense', 'I'),
  acc('5410', 'Förbrukningsinventarier', 'expense', 'I'),
  acc('5460', 'Förbrukningsmaterial', 'expense', 'I'),
  acc('5611', 'Drivmedel för personbilar', 'expense', 'I'),
  acc('5800', 'Resekostnader', 'expense', 'I6'),
  acc('5910', 'Annonsering', 'expense', 'I'),
  acc('6071', 'Representation, avdragsgill', 'expense', 'I'),
  acc('6110', 'Kontorsmateriel', 'expense', 'I'),
  acc('6212', 'Mobiltelefon', 'expense', 'I'),
  acc('6250', 'Postbefordran', 'expense'),
  acc('6310', 'Företagsförsäkringar', 'expense'),
  acc('6530', 'Redovisningstjänster', 'expense', 'I'),
  acc('6540', 'IT-tjänster', 'expense', 'I'),
  acc('6570', 'Bankkostnader', 'expense'),
  acc('7210', 'Löner till tjänstemän', 'expense'),
  acc('7510', 'Arbetsgivaravgifter 31,42 %', 'expense'),
  acc('7832', 'Avskrivningar på inventarier och verktyg', 'expense'),
  acc('7834', 'Avskrivningar på bilar och andra transportmedel', 'expense'),
  acc('7960', 'Valutakursförluster på fordringar och skulder av rörelsekaraktär', 'expense'),
  acc('8311', 'Ränteintäkter från bank', 'income'),
  acc('8410', 'Räntekostnader för långfristiga skulder', 'expense'),
  acc('8999', 'Årets resultat', 'expense'),
];

/** Valid-looking organisationsnummer for an aktiebolag: `5566xx-xxxx` with a Luhn check digit. */
export function swedishOrgNumber(rng: Random): string {
  const digits = [5, 5, 6, rng.int(0, 9)];
  while (digits.length < 9) digits.push(rng.int(0, 9));
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let v = digits[i]! * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  digits.push((10 - (sum % 10)) % 10);
  const s = digits.join('');
  return `${s.slice(0, 6)}-${s.slice(6)}`;
}

export const sweden: CountryProfile = {
  country: 'SE',
  currency: 'SEK',
  amountScale: 1,
  foreign: { currency: 'EUR', rate4: 113_000, countries: ['DE', 'FI', 'DK', 'NL'] },
  accounts,
  taxCodes: [
    { code: 'MP1', description: 'Utgående moms 25 %', rate: '25', standard: null },
    { code: 'MP2', description: 'Utgående moms 12 %', rate: '12', standard: null },
    { code: 'MP3', description: 'Utgående moms 6 %', rate: '6', standard: null },
    { code: 'MF', description: 'Momsfri försäljning till annat EU-land', rate: '0', standard: null },
    { code: 'I', description: 'Ingående moms 25 %', rate: '25', standard: null },
    { code: 'I12', description: 'Ingående moms 12 %', rate: '12', standard: null },
    { code: 'I6', description: 'Ingående moms 6 %', rate: '6', standard: null },
  ],
  vat: {
    MP1: { basisPoints: 2500, account: '2611' },
    MP2: { basisPoints: 1200, account: '2621' },
    MP3: { basisPoints: 600, account: '2631' },
    I: { basisPoints: 2500, account: '2641' },
    I12: { basisPoints: 1200, account: '2641' },
    I6: { basisPoints: 600, account: '2641' },
  },
  roles: {
    bank: '1930',
    receivable: '1510',
    payable: '2440',
    shareCapital: '2081',
    retainedEarnings: '2091',
    yearResultEquity: '2099',
    yearResultPnl: '8999',
    loan: '2350',
    vatSettlement: '2650',
    bankFees: '6570',
    interestIncome: '8311',
    interestExpense: '8410',
    fxGain: '3960',
    fxLoss: '7960',
  },
  fixedAssets: [
    { asset: '1220', accumulated: '1229', expense: '7832', lifeMonths: 60, share: 0.55 },
    { asset: '1240', accumulated: '1249', expense: '7834', lifeMonths: 60, share: 0.45 },
  ],
  revenue: [
    { account: '3001', weight: 80 },
    { account: '3002', weight: 12 },
    { account: '3003', weight: 8 },
  ],
  exportRevenue: '3108',
  supplierKinds: [
    { trade: 'Grossist', lines: [{ account: '4010', weight: 1 }], median: 9_000_00, weight: 40 },
    { trade: 'Entreprenad', lines: [{ account: '4600', weight: 1 }], median: 14_000_00, weight: 12 },
    { trade: 'Fastigheter', lines: [{ account: '5010', weight: 1 }], median: 21_000_00, weight: 4 },
    { trade: 'Energi', lines: [{ account: '5020', weight: 1 }], median: 3_200_00, weight: 4 },
    { trade: 'IT', lines: [{ account: '6540', weight: 3 }, { account: '5410', weight: 1 }], median: 4_000_00, weight: 8 },
    { trade: 'Redovisning', lines: [{ account: '6530', weight: 1 }], median: 5_500_00, weight: 4 },
    { trade: 'Telekom', lines: [{ account: '6212', weight: 1 }], median: 1_700_00, weight: 5 },
    { trade: 'Kontorsvaror', lines: [{ account: '6110', weight: 2 }, { account: '5460', weight: 2 }], median: 1_200_00, weight: 6 },
    { trade: 'Reklam', lines: [{ account: '5910', weight: 1 }], median: 6_500_00, weight: 5 },
    { trade: 'Försäkring', lines: [{ account: '6310', weight: 1 }], median: 4_500_00, weight: 3 },
  ],
  cardPurchases: [
    { account: '5611', weight: 5 },
    { account: '5800', weight: 3 },
    { account: '6071', weight: 2 },
    { account: '6110', weight: 2 },
  ],
  exemptCardPurchase: '6250',
  assetPurchaseVatCode: 'I',
  payroll: {
    salary: '7210',
    withholdingRate: 0.3,
    withholding: '2710',
    contributions: [{ expense: '7510', liability: '2731', rate: 0.3142 }],
    employeePension: null,
    holidayPay: null,
    taxTermMonths: 1,
    taxPayDay: 12,
    pensionPayDay: null,
  },
  vatTerm: { months: 3, dueMonthsAfter: 2, dueDay: 12 },
  journals: {
    rows: [
      { journal_id: 'A', name: 'Bokföringsorder', journal_type: 'sie:series', extra: null },
      { journal_id: 'B', name: 'Kundfakturor', journal_type: 'sie:series', extra: null },
      { journal_id: 'C', name: 'Kundinbetalningar', journal_type: 'sie:series', extra: null },
      { journal_id: 'D', name: 'Leverantörsfakturor', journal_type: 'sie:series', extra: null },
      { journal_id: 'E', name: 'Leverantörsutbetalningar', journal_type: 'sie:series', extra: null },
      { journal_id: 'L', name: 'Lön', journal_type: 'sie:series', extra: null },
    ],
    sales: 'B',
    purchases: 'D',
    customerPayments: 'C',
    supplierPayments: 'E',
    bank: 'A',
    payroll: 'L',
    general: 'A',
  },
  dimensionTypes: { department: 'cost_center', project: 'project' },
  departments: [
    { id: '100', name: 'Försäljning' },
    { id: '200', name: 'Service' },
    { id: '300', name: 'Lager' },
    { id: '900', name: 'Administration' },
  ],
  projectNames: ['Butik Göteborg', 'Webbshop', 'Lagerflytt', 'Affärssystem', 'Mässa Älvsjö', 'Kundtjänst', 'Sommarkampanj', 'Ramavtal Region'],
  projectPrefix: '',
  names: {
    companyStems: ['Norrsken', 'Fjällvind', 'Solbacka', 'Ekdal', 'Lindholmen', 'Skärgård', 'Björkhaga', 'Älvsborg'],
    companyTrades: ['Handel', 'Teknik', 'Service', 'Bygghandel', 'El', 'Inredning'],
    companySuffix: 'AB',
    partyStems: ['Andersson', 'Berglund', 'Lindqvist', 'Nyström', 'Sjöberg', 'Holmgren', 'Ek', 'Forsberg', 'Lundin', 'Åberg', 'Wallin', 'Sandberg', 'Hedlund', 'Strand', 'Blom'],
    customerTrades: ['Bygg', 'Fastigheter', 'Transport', 'VVS', 'Café', 'Maskin', 'Konsult', 'Klinik', 'Sport', 'El'],
    foreignCustomers: ['Hansa Technik GmbH', 'Nordsee Logistik GmbH', 'Suomen Kauppa Oy', 'Dansk Indkøb ApS', 'Van Dijk Trading B.V.'],
    foreignSuppliers: ['Rheinwerk Komponenten GmbH', 'Baltic Components OÜ'],
  },
  orgNumber: swedishOrgNumber,
  text: {
    sale: 'Kundfaktura',
    customerPayment: 'Inbetalning kundfaktura',
    purchase: 'Leverantörsfaktura',
    supplierPayment: 'Betalning leverantörsfaktura',
    card: 'Kortköp',
    payroll: 'Lön',
    payrollTax: 'Skattekonto: personalskatt och arbetsgivaravgifter',
    pension: 'Pension',
    holidayPay: 'Semesterlön',
    depreciation: 'Avskrivningar',
    bankFee: 'Bankavgift',
    loan: 'Ränta och amortering banklån',
    interestIncome: 'Ränteintäkt bank',
    vatTransfer: 'Momsredovisning',
    vatPayment: 'Betalning moms',
    assetPurchase: 'Inköp inventarier',
    yearEnd: 'Årets resultat',
    months: ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'],
  },
};
