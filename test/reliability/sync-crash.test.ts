// Every connector in the registry: the conformance suite with RELIABILITY_TRIALS crash trials
// (SIGKILL, SIGTERM and SIGINT in turn), its fault run and its spec check.
import { describeSourceConformance } from '../helpers/source-conformance.ts';
import { allSubjects } from '../helpers/subjects.ts';
import { printFiguresAfterAll, TRIALS } from './figures.ts';

printFiguresAfterAll('connectors');
for (const subject of await allSubjects()) {
  describeSourceConformance(subject, { linesPerYear: 1_200, trials: Math.max(3, TRIALS), signals: ['SIGKILL', 'SIGTERM', 'SIGINT'] });
}
