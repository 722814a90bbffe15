// Norwegian profile: NS 4102 accounts (names from the SAF-T standard account list), each
// carrying its SAF-T 1.30 næringsspesifikasjon GroupingCategory/GroupingCode, and local VAT
// codes that map one-to-one onto the SAF-T standard tax codes.
import type { AccountType } from '../../model/index.ts';
import type { ChartAccount, CountryProfile } from '../country-profile.ts';
import type { Random } from '../random.ts';

function acc(
  id: string,
  name: string,
  type: AccountType,
  groupingCategory: string,
  groupingCode: string,
  vatCode: string | null = null,
): ChartAccount {
  return { id, name, type, standardAccountId: id, groupingCategory, groupingCode, vatCode, extra: null };
}

const FA = 'balanseverdiForAnleggsmiddel';
const OM = 'balanseverdiForOmloepsmiddel';
const EK = 'egenkapital';
const LG = 'langsiktigGjeld';
const KG = 'kortsiktigGjeld';
const SI = 'salgsinntekt';
const VK = 'varekostnad';
const LK = 'loennskostnad';
const DK = 'annenDriftskostnad';
const FI = 'finansinntekt';
const FK = 'finanskostnad';

const accounts: ChartAccount[] = [
  acc('1230', 'Personbiler/stasjonsvogner', 'asset', FA, '1205'),
  acc('1250', 'Inventar', 'asset', FA, '1205'),
  acc('1280', 'Kontormaskiner', 'asset', FA, '1280'),
  acc('1500', 'Kundefordringer', 'asset', OM, '1500'),
  acc('1920', 'Bankinnskudd', 'asset', OM, '1920'),
  acc('2000', 'Aksjekapital / Egenkapital, bundet', 'equity', EK, '2000'),
  acc('2050', 'Annen egenkapital', 'equity', EK, '2050'),
  acc('2220', 'Gjeld til kredittinstitusjoner', 'liability', LG, '2220'),
  acc('2400', 'Leverandørgjeld', 'liability', KG, '2400'),
  acc('2600', 'Forskuddstrekk', 'liability', KG, '2600'),
  acc('2700', 'Utgående merverdiavgift, høy sats', 'liability', KG, '2740', '3'),
  acc('2701', 'Utgående merverdiavgift, middels sats', 'liability', KG, '2740', '31'),
  acc('2703', 'Utgående merverdiavgift, lav sats', 'liability', KG, '2740', '33'),
  acc('2710', 'Inngående merverdiavgift, høy sats', 'liability', KG, '2740', '1'),
  acc('2711', 'Inngående merverdiavgift, middels sats', 'liability', KG, '2740', '11'),
  acc('2713', 'Inngående merverdiavgift, lav sats', 'liability', KG, '2740', '13'),
  acc('2740', 'Oppgjørskonto merverdiavgift', 'liability', KG, '2740'),
  acc('2770', 'Skyldig arbeidsgiveravgift', 'liability', KG, '2770'),
  acc('2940', 'Skyldige feriepenger', 'liability', KG, '2949'),
  acc('3000', 'Salgsinntekt handelsvarer, avgiftspliktig, høy sats', 'income', SI, '3000', '3'),
  acc('3020', 'Salgsinntekt tjenester, avgiftspliktig, høy sats', 'income', SI, '3000', '3'),
  acc('3030', 'Salgsinntekt handelsvarer, avgiftspliktig, middels sats', 'income', SI, '3000', '31'),
  acc('3050', 'Salgsinntekt tjenester, avgiftspliktig, lav sats', 'income', SI, '3000', '33'),
  acc('3105', 'Salgsinntekt handelsvarer, utførsel, avgiftsfri', 'income', SI, '3100', '52'),
  acc('4300', 'Innkjøp av varer for videresalg, høy sats', 'expense', VK, '4005', '1'),
  acc('4330', 'Innkjøp av varer for videresalg, middels sats', 'expense', VK, '4005', '11'),
  acc('4500', 'Fremmedytelse og underentreprise', 'expense', VK, '4500', '1'),
  acc('5000', 'Lønn til ansatte', 'expense', LK, '5000'),
  acc('5092', 'Feriepenger', 'expense', LK, '5000'),
  acc('5400', 'Arbeidsgiveravgift', 'expense', LK, '5400'),
  acc('6010', 'Avskrivning på transportmidler', 'expense', DK, '6000'),
  acc('6015', 'Avskrivning på maskiner', 'expense', DK, '6000'),
  acc('6017', 'Avskrivning på inventar', 'expense', DK, '6000'),
  acc('6300', 'Leie lokale', 'expense', DK, '6300', '0'),
  acc('6340', 'Lys', 'expense', DK, '6340', '1'),
  acc('6420', 'Leie datasystemer', 'expense', DK, '6400', '1'),
  acc('6540', 'Inventar', 'expense', DK, '6500', '1'),
  acc('6700', 'Revisjonshonorar', 'expense', DK, '6700', '1'),
  acc('6705', 'Regnskapshonorar', 'expense', DK, '6700', '1'),
  acc('6800', 'Kontorrekvisita', 'expense', DK, '6995', '1'),
  acc('6900', 'Telefon', 'expense', DK, '6995', '1'),
  acc('6940', 'Porto', 'expense', DK, '6995', '0'),
  acc('7000', 'Drivstoff transportmiddel 1', 'expense', DK, '7000', '1'),
  acc('7140', 'Reisekostnad, ikke opplysningspliktig', 'expense', DK, '7165', '13'),
  acc('7320', 'Reklameannonser', 'expense', DK, '7330', '1'),
  acc('7350', 'Representasjon, fradragsberettiget', 'expense', DK, '7350', '0'),
  acc('7500', 'Forsikringspremie', 'expense', DK, '7500', '0'),
  acc('7770', 'Bank- og kortgebyr', 'expense', DK, '7700', '0'),
  acc('8050', 'Renteinntekt bankinnskudd', 'income', FI, '8050'),
  acc('8060', 'Valutagevinst (agio)', 'income', FI, '8060'),
  acc('8150', 'Rentekostnad banklån', 'expense', FK, '8150'),
  acc('8160', 'Valutatap (disagio)', 'expense', FK, '8160'),
  acc('8800', 'Årsresultat', 'expense', 'resultatDisponeringForSAF-T', '8800'),
];

/** Valid-looking organisasjonsnummer: 9 digits, first 8 or 9, MOD11 check digit. */
export function norwegianOrgNumber(rng: Random): string {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  for (;;) {
    const digits = [rng.int(8, 9)];
    for (let i = 1; i < 8; i++) digits.push(rng.int(0, 9));
    const sum = digits.reduce((s, d, i) => s + d * weights[i]!, 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue; // no valid check digit for this body
    digits.push(check === 11 ? 0 : check);
    return digits.join('');
  }
}

export const norway: CountryProfile = {
  country: 'NO',
  currency: 'NOK',
  amountScale: 1,
  foreign: { currency: 'EUR', rate4: 115_000, countries: ['DE', 'SE', 'DK', 'NL'] },
  accounts,
  taxCodes: [
    { code: '0', description: 'Ingen merverdiavgiftsbehandling (anskaffelser)', rate: null, standard: '0' },
    { code: '1', description: 'Fradragsberettiget innenlands inngående merverdiavgift, høy sats', rate: '25', standard: '1' },
    { code: '11', description: 'Fradragsberettiget innenlands inngående merverdiavgift, middels sats', rate: '15', standard: '11' },
    { code: '13', description: 'Fradragsberettiget innenlands inngående merverdiavgift, lav sats', rate: '12', standard: '13' },
    { code: '3', description: 'Utgående merverdiavgift, høy sats', rate: '25', standard: '3' },
    { code: '31', description: 'Utgående merverdiavgift, middels sats', rate: '15', standard: '31' },
    { code: '33', description: 'Utgående merverdiavgift, lav sats', rate: '12', standard: '33' },
    { code: '52', description: 'Utførsel av varer og tjenester', rate: '0', standard: '52' },
  ],
  // Per VAT code: basis points and the account the VAT amount goes to.
  vat: {
    '1': { basisPoints: 2500, account: '2710' },
    '11': { basisPoints: 1500, account: '2711' },
    '13': { basisPoints: 1200, account: '2713' },
    '3': { basisPoints: 2500, account: '2700' },
    '31': { basisPoints: 1500, account: '2701' },
    '33': { basisPoints: 1200, account: '2703' },
  },
  roles: {
    bank: '1920',
    receivable: '1500',
    payable: '2400',
    shareCapital: '2000',
    retainedEarnings: '2050',
    yearResultEquity: '2050',
    yearResultPnl: '8800',
    loan: '2220',
    vatSettlement: '2740',
    bankFees: '7770',
    interestIncome: '8050',
    interestExpense: '8150',
    fxGain: '8060',
    fxLoss: '8160',
  },
  fixedAssets: [
    { asset: '1250', accumulated: null, expense: '6017', lifeMonths: 60, share: 0.45 },
    { asset: '1230', accumulated: null, expense: '6010', lifeMonths: 84, share: 0.4 },
    { asset: '1280', accumulated: null, expense: '6015', lifeMonths: 36, share: 0.15 },
  ],
  revenue: [
    { account: '3000', weight: 45 },
    { account: '3020', weight: 35 },
    { account: '3030', weight: 12 },
    { account: '3050', weight: 8 },
  ],
  exportRevenue: '3105',
  supplierKinds: [
    { trade: 'Engros', lines: [{ account: '4300', weight: 8 }, { account: '4330', weight: 2 }], median: 9_000_00, weight: 40 },
    { trade: 'Underleveranse', lines: [{ account: '4500', weight: 1 }], median: 14_000_00, weight: 12 },
    { trade: 'Eiendom', lines: [{ account: '6300', weight: 1 }], median: 22_000_00, weight: 4 },
    { trade: 'Energi', lines: [{ account: '6340', weight: 1 }], median: 3_500_00, weight: 4 },
    { trade: 'IT', lines: [{ account: '6420', weight: 3 }, { account: '6540', weight: 1 }], median: 4_000_00, weight: 8 },
    { trade: 'Regnskap', lines: [{ account: '6705', weight: 4 }, { account: '6700', weight: 1 }], median: 6_000_00, weight: 4 },
    { trade: 'Telekom', lines: [{ account: '6900', weight: 1 }], median: 1_800_00, weight: 5 },
    { trade: 'Kontor', lines: [{ account: '6800', weight: 3 }, { account: '6940', weight: 1 }], median: 1_200_00, weight: 6 },
    { trade: 'Reklame', lines: [{ account: '7320', weight: 1 }], median: 7_000_00, weight: 5 },
    { trade: 'Forsikring', lines: [{ account: '7500', weight: 1 }], median: 5_000_00, weight: 3 },
  ],
  cardPurchases: [
    { account: '7000', weight: 5 },
    { account: '7140', weight: 3 },
    { account: '7350', weight: 2 },
    { account: '6800', weight: 2 },
  ],
  exemptCardPurchase: '6940',
  assetPurchaseVatCode: '1',
  payroll: {
    salary: '5000',
    withholdingRate: 0.32,
    withholding: '2600',
    contributions: [{ expense: '5400', liability: '2770', rate: 0.141 }],
    employeePension: null,
    holidayPay: { expense: '5092', liability: '2940', rate: 0.102, payMonth: 6 },
    taxTermMonths: 2,
    taxPayDay: 15,
    pensionPayDay: null,
  },
  vatTerm: { months: 2, dueMonthsAfter: 1, dueDay: 10 },
  journals: {
    rows: [
      { journal_id: 'SALG', name: 'Salgsfakturaer', journal_type: 'saft:GL', extra: null },
      { journal_id: 'INNK', name: 'Inngående fakturaer', journal_type: 'saft:GL', extra: null },
      { journal_id: 'BANK', name: 'Bank', journal_type: 'saft:GL', extra: null },
      { journal_id: 'LONN', name: 'Lønn', journal_type: 'saft:GL', extra: null },
      { journal_id: 'DIV', name: 'Diverse bilag', journal_type: 'saft:GL', extra: null },
    ],
    sales: 'SALG',
    purchases: 'INNK',
    customerPayments: 'BANK',
    supplierPayments: 'BANK',
    bank: 'BANK',
    payroll: 'LONN',
    general: 'DIV',
  },
  dimensionTypes: { department: 'department', project: 'project' },
  departments: [
    { id: '10', name: 'Salg' },
    { id: '20', name: 'Service' },
    { id: '30', name: 'Lager og logistikk' },
    { id: '90', name: 'Administrasjon' },
  ],
  projectNames: ['Vestlandsutvidelse', 'Nettbutikk', 'Kontorflytting', 'ERP-bytte', 'Messe Lillestrøm', 'Kundesenter', 'Hyttekampanje', 'Rammeavtale Stat'],
  projectPrefix: 'P',
  names: {
    companyStems: ['Fjordlys', 'Nordkapp', 'Brattli', 'Solvang', 'Havbris', 'Lyngdal', 'Granli', 'Skogheim'],
    companyTrades: ['Handel', 'Teknikk', 'Service', 'Byggvare', 'Elektro', 'Interiør'],
    companySuffix: 'AS',
    partyStems: ['Berg', 'Haugen', 'Dahl', 'Lie', 'Moen', 'Nygård', 'Strand', 'Bakke', 'Eide', 'Solberg', 'Aasen', 'Holm', 'Vik', 'Lund', 'Fossum'],
    customerTrades: ['Bygg', 'Eiendom', 'Transport', 'Rørlegger', 'Kafé', 'Maskin', 'Regnskap', 'Klinikk', 'Sport', 'Elektro'],
    foreignCustomers: ['Hansa Technik GmbH', 'Nordsee Logistik GmbH', 'Svea Handel AB', 'Dansk Indkøb ApS', 'Van Dijk Trading B.V.'],
    foreignSuppliers: ['Rheinwerk Komponenten GmbH', 'Baltic Components OÜ'],
  },
  orgNumber: norwegianOrgNumber,
  text: {
    sale: 'Faktura',
    customerPayment: 'Innbetaling faktura',
    purchase: 'Leverandørfaktura',
    supplierPayment: 'Betaling leverandørfaktura',
    card: 'Kortkjøp',
    payroll: 'Lønn',
    payrollTax: 'Forskuddstrekk og arbeidsgiveravgift',
    pension: 'Pensjon',
    holidayPay: 'Utbetaling feriepenger',
    depreciation: 'Avskrivninger',
    bankFee: 'Bankgebyr',
    loan: 'Renter og avdrag banklån',
    interestIncome: 'Renteinntekter bank',
    vatTransfer: 'Mva-oppgjør',
    vatPayment: 'Betaling merverdiavgift',
    assetPurchase: 'Kjøp driftsmiddel',
    yearEnd: 'Årsavslutning, disponering av årsresultat',
    months: ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'],
  },
};
