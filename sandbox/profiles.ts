// The country profiles by country code: the set of countries the generator supports.
import type { Country } from '../model/index.ts';
import { finland } from './charts/finland.ts';
import { norway } from './charts/norway.ts';
import { sweden } from './charts/sweden.ts';
import type { CountryProfile } from './country-profile.ts';

export const PROFILES: Record<Country, CountryProfile> = { NO: norway, SE: sweden, FI: finland };
