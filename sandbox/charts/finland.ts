// Finnish profile: a compact liikekirjuri-style chart for an osakeyhtiö (books in EUR).
// VAT 25.5 % (from 1 Sept 2024), 14 % and 10 %; output VAT and input VAT each in one account.
import type { AccountType } from '../../model/index.ts';
import type { ChartAccount, CountryProfile } from '../country-profile.ts';
import type { Random } from '../random.ts';

function acc(id: string, name: string, type: AccountType, vatCode: string | null = null): ChartAccount {
  return { id, name, type, standardAccountId: null, groupingCategory: null, groupingCode: null, vatCode, extra: null };
}

const accounts: ChartAccount[] = [
  acc('1160', 'Koneet ja kalusto', 'asset'),
  acc('1170', 'Kuljetusvälineet', 'asset'),
  acc('1700', 'Myyntisaamiset', 'asset'),
  acc('1763', 'Arvonlisäverosaamiset', 'asset', 'O255'),
  acc('1910', 'Pankkitili', 'asset'),
  acc('2000', 'Osakepääoma', 'equity'),
  acc('2250', 'Edellisten tilikausien voitto (tappio)', 'equity'),
  acc('2370', 'Tilikauden voitto (tappio)', 'equity'),
  acc('2620', 'Lainat rahoituslaitoksilta', 'liability'),
  acc('2870', 'Ostovelat', 'liability'),
  acc('2931', 'Ennakonpidätysvelka', 'liability'),
  acc('2933', 'Sosiaaliturvamaksuvelka', 'liability'),
  acc('2935', 'Eläkevakuutusmaksuvelka', 'liability'),
  acc('2939', 'Arvonlisäverovelka', 'liability'),
  acc('2940', 'Myynnin arvonlisävero', 'liability', 'M255'),
  acc('3000', 'Myynti 25,5 %', 'income', 'M255'),
  acc('3010', 'Myynti 14 %', 'income', 'M14'),
  acc('3020', 'Myynti 10 %', 'income', 'M10'),
  acc('3300', 'Myynti EU-maihin, 0 %', 'income', 'MEU'),
  acc('4000', 'Ostot 25,5 %', 'expense', 'O255'),
  acc('4010', 'Ostot 14 %', 'expense', 'O14'),
  acc('4450', 'Ulkopuoliset palvelut', 'expense', 'O255'),
  acc('5000', 'Palkat', 'expense'),
  acc('6130', 'Työeläkevakuutusmaksut (TyEL)', 'expense'),
  acc('6410', 'Sosiaaliturvamaksut', 'expense'),
  acc('6800', 'Suunnitelman mukaiset poistot, koneet ja kalusto', 'expense'),
  acc('6810', 'Suunnitelman mukaiset poistot, kuljetusvälineet', 'expense'),
  acc('7000', 'Toimitilavuokrat', 'expense'),
  acc('7040', 'Sähkö ja lämpö', 'expense', 'O255'),
  acc('7310', 'Polttoaineet', 'expense', 'O255'),
  acc('7600', 'Matkakulut', 'expense', 'O10'),
  acc('8050', 'Ilmoitukset ja mainonta', 'expense', 'O255'),
  acc('8100', 'Edustuskulut', 'expense'),
  acc('8380', 'Puhelinkulut', 'expense', 'O255'),
  acc('8440', 'Postikulut', 'expense'),
  acc('8450', 'Kirjanpito- ja tilintarkastuspalvelut', 'expense', 'O255'),
  acc('8500', 'Toimistotarvikkeet', 'expense', 'O255'),
  acc('8540', 'ATK-kulut', 'expense', 'O255'),
  acc('8600', 'Vakuutukset', 'expense'),
  acc('8650', 'Pankkikulut', 'expense'),
  acc('9160', 'Korkotuotot', 'income'),
  acc('9170', 'Kurssivoitot', 'income'),
  acc('9450', 'Korkokulut', 'expense'),
  acc('9470', 'Kurssitappiot', 'expense'),
  acc('9990', 'Tilikauden voitto (tappio)', 'expense'),
];

/** Valid-looking Y-tunnus: 7 digits and a MOD11 check digit (`1234567-8`). */
export function finnishBusinessId(rng: Random): string {
  const weights = [7, 9, 10, 5, 8, 4, 2];
  for (;;) {
    const digits = [rng.int(1, 3)];
    for (let i = 1; i < 7; i++) digits.push(rng.int(0, 9));
    const r = digits.reduce((s, d, i) => s + d * weights[i]!, 0) % 11;
    if (r === 1) continue; // remainder 1 is never issued
    return `${digits.join('')}-${r === 0 ? 0 : 11 - r}`;
  }
}

export const finland: CountryProfile = {
  country: 'FI',
  currency: 'EUR',
  // Amounts in the charts are written for NOK/SEK; EUR amounts are about a tenth.
  amountScale: 0.1,
  foreign: { currency: 'SEK', rate4: 870, countries: ['SE'] },
  accounts,
  taxCodes: [
    { code: 'M255', description: 'Myynnin arvonlisävero 25,5 %', rate: '25.5', standard: null },
    { code: 'M14', description: 'Myynnin arvonlisävero 14 %', rate: '14', standard: null },
    { code: 'M10', description: 'Myynnin arvonlisävero 10 %', rate: '10', standard: null },
    { code: 'MEU', description: 'Yhteisömyynti, 0 %', rate: '0', standard: null },
    { code: 'O255', description: 'Ostojen arvonlisävero 25,5 %', rate: '25.5', standard: null },
    { code: 'O14', description: 'Ostojen arvonlisävero 14 %', rate: '14', standard: null },
    { code: 'O10', description: 'Ostojen arvonlisävero 10 %', rate: '10', standard: null },
  ],
  vat: {
    M255: { basisPoints: 2550, account: '2940' },
    M14: { basisPoints: 1400, account: '2940' },
    M10: { basisPoints: 1000, account: '2940' },
    O255: { basisPoints: 2550, account: '1763' },
    O14: { basisPoints: 1400, account: '1763' },
    O10: { basisPoints: 1000, account: '1763' },
  },
  roles: {
    bank: '1910',
    receivable: '1700',
    payable: '2870',
    shareCapital: '2000',
    retainedEarnings: '2250',
    yearResultEquity: '2370',
    yearResultPnl: '9990',
    loan: '2620',
    vatSettlement: '2939',
    bankFees: '8650',
    interestIncome: '9160',
    interestExpense: '9450',
    fxGain: '9170',
    fxLoss: '9470',
  },
  fixedAssets: [
    { asset: '1160', accumulated: null, expense: '6800', lifeMonths: 60, share: 0.6 },
    { asset: '1170', accumulated: null, expense: '6810', lifeMonths: 72, share: 0.4 },
  ],
  revenue: [
    { account: '3000', weight: 78 },
    { account: '3010', weight: 14 },
    { account: '3020', weight: 8 },
  ],
  exportRevenue: '3300',
  supplierKinds: [
    { trade: 'Tukku', lines: [{ account: '4000', weight: 4 }, { account: '4010', weight: 1 }], median: 9_000_00, weight: 40 },
    { trade: 'Palvelut', lines: [{ account: '4450', weight: 1 }], median: 14_000_00, weight: 12 },
    { trade: 'Kiinteistöt', lines: [{ account: '7000', weight: 1 }], median: 21_000_00, weight: 4 },
    { trade: 'Energia', lines: [{ account: '7040', weight: 1 }], median: 3_200_00, weight: 4 },
    { trade: 'IT', lines: [{ account: '8540', weight: 1 }], median: 4_000_00, weight: 8 },
    { trade: 'Tilitoimisto', lines: [{ account: '8450', weight: 1 }], median: 5_500_00, weight: 4 },
    { trade: 'Tele', lines: [{ account: '8380', weight: 1 }], median: 1_700_00, weight: 5 },
    { trade: 'Toimistotarvike', lines: [{ account: '8500', weight: 3 }, { account: '8440', weight: 1 }], median: 1_200_00, weight: 6 },
    { trade: 'Mainos', lines: [{ account: '8050', weight: 1 }], median: 6_500_00, weight: 5 },
    { trade: 'Vakuutus', lines: [{ account: '8600', weight: 1 }], median: 4_500_00, weight: 3 },
  ],
  cardPurchases: [
    { account: '7310', weight: 5 },
    { account: '7600', weight: 3 },
    { account: '8100', weight: 2 },
    { account: '8500', weight: 2 },
  ],
  exemptCardPurchase: '8440',
  assetPurchaseVatCode: 'O255',
  payroll: {
    salary: '5000',
    withholdingRate: 0.24,
    withholding: '2931',
    contributions: [
      { expense: '6130', liability: '2935', rate: 0.1734 },
      { expense: '6410', liability: '2933', rate: 0.0187 },
    ],
    employeePension: { liability: '2935', rate: 0.0715 },
    holidayPay: null,
    taxTermMonths: 1,
    taxPayDay: 12,
    pensionPayDay: 20,
  },
  vatTerm: { months: 1, dueMonthsAfter: 2, dueDay: 12 },
  journals: {
    rows: [
      { journal_id: 'GL', name: 'Muistiotositteet', journal_type: 'voucher_type', extra: null },
      { journal_id: 'IN', name: 'Myyntilaskut', journal_type: 'voucher_type', extra: null },
      { journal_id: 'PU', name: 'Ostolaskut', journal_type: 'voucher_type', extra: null },
      { journal_id: 'PJ', name: 'Pankki', journal_type: 'voucher_type', extra: null },
      { journal_id: 'PL', name: 'Palkat', journal_type: 'voucher_type', extra: null },
    ],
    sales: 'IN',
    purchases: 'PU',
    customerPayments: 'PJ',
    supplierPayments: 'PJ',
    bank: 'PJ',
    payroll: 'PL',
    general: 'GL',
  },
  dimensionTypes: { department: 'department', project: 'project' },
  departments: [
    { id: '100', name: 'Myynti' },
    { id: '200', name: 'Huolto' },
    { id: '300', name: 'Varasto' },
    { id: '900', name: 'Hallinto' },
  ],
  projectNames: ['Tampereen myymälä', 'Verkkokauppa', 'Varastomuutto', 'Toiminnanohjaus', 'Messut Helsinki', 'Asiakaspalvelu', 'Kesäkampanja', 'Puitesopimus'],
  projectPrefix: 'PR',
  names: {
    companyStems: ['Revontuli', 'Koivula', 'Saimaan', 'Pohjolan', 'Kaleva', 'Järvisen', 'Lapin', 'Hämeen'],
    companyTrades: ['Kauppa', 'Tekniikka', 'Palvelu', 'Rautakauppa', 'Sähkö', 'Sisustus'],
    companySuffix: 'Oy',
    partyStems: ['Virtanen', 'Korhonen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen', 'Lehtonen', 'Saarinen', 'Salminen', 'Heinonen', 'Niemi'],
    customerTrades: ['Rakennus', 'Kiinteistöt', 'Kuljetus', 'LVI', 'Kahvila', 'Kone', 'Konsultointi', 'Klinikka', 'Urheilu', 'Sähkö'],
    foreignCustomers: ['Svea Handel AB', 'Norrlands Bygg AB', 'Göta Maskin AB'],
    foreignSuppliers: ['Uppsala Komponent AB'],
  },
  orgNumber: finnishBusinessId,
  text: {
    sale: 'Myyntilasku',
    customerPayment: 'Suoritus myyntilasku',
    purchase: 'Ostolasku',
    supplierPayment: 'Maksu ostolasku',
    card: 'Korttiosto',
    payroll: 'Palkat',
    payrollTax: 'Ennakonpidätykset ja sosiaaliturvamaksut',
    pension: 'TyEL-maksu',
    holidayPay: 'Lomarahat',
    depreciation: 'Suunnitelman mukaiset poistot',
    bankFee: 'Pankkikulut',
    loan: 'Lainan korko ja lyhennys',
    interestIncome: 'Korkotuotot',
    vatTransfer: 'Arvonlisäveron tilitys',
    vatPayment: 'Arvonlisäveron maksu',
    assetPurchase: 'Kaluston hankinta',
    yearEnd: 'Tilikauden tuloksen siirto',
    months: ['tammikuu', 'helmikuu', 'maaliskuu', 'huhtikuu', 'toukokuu', 'kesäkuu', 'heinäkuu', 'elokuu', 'syyskuu', 'lokakuu', 'marraskuu', 'joulukuu'],
  },
};
