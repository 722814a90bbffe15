// The JSON objects of Fiken's schemas (openapi.yaml components) for the served data. Only
// properties a reader gets are written (no write-only ones), and an absent value is left out
// rather than sent as null. Amounts are bigint øre, written as integers (money scale 0).
import { dayText } from './days.ts';
import type { ContactRec, FikenCompany, ProjectRec } from './fiken-company.ts';
import { TRANSACTION_TYPES } from './fiken-company.ts';

/** `journalEntry` */
export function journalEntryView(c: FikenCompany, e: number): Record<string, unknown> {
  const L = c.ledger;
  const lines: Record<string, unknown>[] = [];
  for (let l = L.lineStart[e]!; l < L.lineStart[e + 1]!; l++) {
    const vat = L.lVat[l]!;
    const project = L.lProject[l]!;
    lines.push({
      amount: L.lAmount[l]!,
      account: c.lineAccount(l),
      vatCode: vat < 0 ? undefined : c.vatCodes[vat],
      projectId: project < 0 ? [] : [c.projects[project]!.projectId],
      lastModifiedDate: dayText(L.lModified[l]!),
    });
  }
  const offset = L.offset[e]!;
  return {
    journalEntryId: c.journalEntryId(e),
    createdDate: dayText(L.created[e]!),
    lastModifiedDate: dayText(L.modified[e]!),
    transactionId: c.transactionId(e),
    offsetTransactionId: offset < 0 ? undefined : c.transactionId(offset),
    journalEntryNumber: L.number[e]!,
    description: L.description[e]!,
    date: dayText(L.day[e]!),
    lines,
    attachments: [],
  };
}

/** `transaction`: one per journal entry here. */
export function transactionView(c: FikenCompany, e: number): Record<string, unknown> {
  const L = c.ledger;
  return {
    transactionId: c.transactionId(e),
    createdDate: dayText(L.created[e]!),
    lastModifiedDate: dayText(L.modified[e]!),
    description: L.description[e]!,
    type: TRANSACTION_TYPES[L.type[e]!],
    entries: [journalEntryView(c, e)],
    deleted: L.deleted[e] === 1,
  };
}

/** `contact` */
export function contactView(x: ContactRec): Record<string, unknown> {
  const customer = x.kind === 'customer';
  return {
    contactId: x.contactId,
    createdDate: dayText(x.createdDay),
    lastModifiedDate: dayText(x.modifiedDay),
    name: x.name,
    organizationNumber: x.orgNumber ?? undefined,
    customerNumber: customer ? x.number : undefined,
    customerAccountCode: customer ? x.accountCode : undefined,
    supplierNumber: customer ? undefined : x.number,
    supplierAccountCode: customer ? undefined : x.accountCode,
    customer,
    supplier: !customer,
    inactive: false,
    groups: [],
  };
}

/** `projectResult` */
export function projectView(c: FikenCompany, p: ProjectRec): Record<string, unknown> {
  return { projectId: p.projectId, number: p.number, name: p.name, startDate: c.accountingStart, completed: p.completed };
}

/** `company` */
export function companyView(c: FikenCompany): Record<string, unknown> {
  return {
    name: c.name,
    slug: c.slug,
    organizationNumber: c.orgNumber ?? undefined,
    vatType: 'bi-monthly',
    address: { country: 'Norge' },
    email: `post@${c.slug}.example`,
    creationDate: c.accountingStart,
    hasApiAccess: c.hasApiAccess,
    testCompany: false,
    accountingStartDate: c.accountingStart,
    vatRegistrationDate: c.accountingStart,
  };
}
