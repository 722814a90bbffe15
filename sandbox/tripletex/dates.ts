// Dates as Tripletex speaks them (`YYYY-MM-DD` days, zone-less Oslo date-times): the model's
// calendar, re-exported for the simulator's files.
export { dayOf, isoOf, addMonths, osloDateTime, parseOsloDateTime } from '../../model/index.ts';
