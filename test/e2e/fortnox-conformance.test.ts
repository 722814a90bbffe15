import { describeSourceConformance } from '../helpers/source-conformance.ts';
import { fortnoxSubject } from '../helpers/fortnox-subject.ts';

describeSourceConformance(fortnoxSubject, { linesPerYear: 1_000, trials: Number(process.env.CONFORMANCE_TRIALS ?? 1) });
