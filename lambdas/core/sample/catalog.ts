/** Fixed vocabularies of the sample book: products, industries, countries, names and the seasonal shape. */

export interface Product {
  readonly name: string;
  /** How often accounts buy it, relative to the others. */
  readonly popularity: number;
  /** Share of an invoice it takes, relative to the other lines on the same invoice. */
  readonly price: number;
}

/** Sold products; one name has a comma so product values exercise CSV quoting too. */
export const PRODUCTS: readonly Product[] = [
  { name: 'Platform Subscription', popularity: 12, price: 5 },
  { name: 'User Seats', popularity: 10, price: 3 },
  { name: 'Premium Support', popularity: 6, price: 2 },
  { name: 'Analytics Add-on', popularity: 5, price: 2 },
  { name: 'Data Storage', popularity: 5, price: 1 },
  { name: 'API Usage', popularity: 4, price: 1.5 },
  { name: 'Security Suite', popularity: 3, price: 2 },
  { name: 'Workflow Automation', popularity: 3, price: 1.5 },
  { name: 'Integrations Pack', popularity: 3, price: 1 },
  { name: 'Reporting Module', popularity: 3, price: 1 },
  { name: 'Mobile Access', popularity: 3, price: 0.8 },
  { name: 'Backup & Recovery', popularity: 2, price: 0.8 },
  { name: 'Compliance Module', popularity: 2, price: 1.5 },
  { name: 'Single Sign-On', popularity: 2, price: 0.7 },
  { name: 'Sandbox Environment', popularity: 2, price: 0.8 },
  { name: 'Messaging Credits', popularity: 2, price: 0.6 },
  { name: 'E-signature Envelopes', popularity: 1.5, price: 0.5 },
  { name: 'Machine Learning Insights', popularity: 1.5, price: 2 },
  { name: 'Audit Log Retention', popularity: 1.5, price: 0.5 },
  { name: 'Custom Domain', popularity: 1.2, price: 0.3 },
  { name: 'Priority SLA', popularity: 1.2, price: 1.2 },
  { name: 'Dedicated Instance', popularity: 0.8, price: 6 },
  { name: 'Onboarding Services', popularity: 2, price: 2 },
  { name: 'Implementation Package', popularity: 1.2, price: 3 },
  { name: 'Professional Services', popularity: 1.5, price: 3 },
  { name: 'Consulting Hours', popularity: 1.5, price: 1.5 },
  { name: 'Training, on-site', popularity: 1.2, price: 1 },
  { name: 'Hardware Gateway', popularity: 0.8, price: 2.5 },
  { name: 'IoT Sensors', popularity: 0.8, price: 1.5 },
  { name: 'Extended Warranty', popularity: 0.8, price: 0.6 },
];

export interface Industry {
  readonly name: string;
  readonly weight: number;
  /** Words that make an account name sound like the industry. */
  readonly words: readonly string[];
}

export const INDUSTRIES: readonly Industry[] = [
  {
    name: 'Software',
    weight: 14,
    words: ['Software', 'Systems', 'Labs', 'Digital', 'Technologies', 'Cloud'],
  },
  { name: 'Manufacturing', weight: 13, words: ['Manufacturing', 'Industries', 'Components', 'Works'] },
  { name: 'Retail', weight: 9, words: ['Retail', 'Stores', 'Outfitters', 'Market', 'Goods'] },
  { name: 'Healthcare', weight: 9, words: ['Health', 'Medical', 'Clinics', 'Diagnostics'] },
  { name: 'Financial Services', weight: 8, words: ['Capital', 'Financial', 'Advisors', 'Bank'] },
  { name: 'Logistics', weight: 7, words: ['Logistics', 'Freight', 'Shipping', 'Transport'] },
  { name: 'Professional Services', weight: 8, words: ['Consulting', 'Group', 'Associates', 'Partners'] },
  { name: 'Education', weight: 5, words: ['Academy', 'Learning', 'Education', 'Institute'] },
  { name: 'Energy', weight: 4, words: ['Energy', 'Power', 'Renewables', 'Solar'] },
  { name: 'Media', weight: 4, words: ['Media', 'Studios', 'Publishing', 'Broadcasting'] },
  { name: 'Construction', weight: 5, words: ['Construction', 'Builders', 'Engineering', 'Contractors'] },
  { name: 'Hospitality', weight: 4, words: ['Hotels', 'Hospitality', 'Resorts', 'Restaurants'] },
  { name: 'Telecommunications', weight: 3, words: ['Telecom', 'Networks', 'Communications'] },
  { name: 'Agriculture', weight: 2, words: ['Farms', 'Agritech', 'Harvest', 'Growers'] },
  { name: 'Nonprofit', weight: 2, words: ['Foundation', 'Trust', 'Alliance'] },
];

export interface Country {
  /** ISO 3166-1 alpha-2 code. */
  readonly code: string;
  readonly weight: number;
  /** Legal-form suffixes; one starting with a comma is joined without a space (`Acme, Inc.`). */
  readonly suffixes: readonly string[];
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', weight: 45, suffixes: ['Inc.', ', Inc.', 'LLC', 'Corp.', 'Co.', ', LLC'] },
  { code: 'GB', weight: 8, suffixes: ['Ltd', 'plc', 'LLP'] },
  { code: 'DE', weight: 7, suffixes: ['GmbH', 'AG', 'GmbH & Co. KG'] },
  { code: 'CA', weight: 6, suffixes: ['Inc.', 'Ltd'] },
  { code: 'FR', weight: 5, suffixes: ['SAS', 'SA'] },
  { code: 'AU', weight: 4, suffixes: ['Pty Ltd'] },
  { code: 'NL', weight: 3, suffixes: ['B.V.', 'N.V.'] },
  { code: 'JP', weight: 3, suffixes: ['K.K.'] },
  { code: 'BR', weight: 3, suffixes: ['Ltda.', 'S.A.'] },
  { code: 'IN', weight: 3, suffixes: ['Pvt Ltd', 'Ltd'] },
  { code: 'ES', weight: 2, suffixes: ['S.L.', 'S.A.'] },
  { code: 'IT', weight: 2, suffixes: ['S.r.l.', 'S.p.A.'] },
  { code: 'SE', weight: 2, suffixes: ['AB'] },
  { code: 'SG', weight: 2, suffixes: ['Pte Ltd'] },
  { code: 'MX', weight: 2, suffixes: ['S.A. de C.V.'] },
  { code: 'CH', weight: 2, suffixes: ['AG', 'SA'] },
  { code: 'IE', weight: 1.5, suffixes: ['Ltd', 'DAC'] },
];

export const NAME_STARTS: readonly string[] = [
  'Al',
  'Bel',
  'Cor',
  'Dyn',
  'El',
  'Fal',
  'Gal',
  'Hel',
  'Ir',
  'Jun',
  'Kel',
  'Lum',
  'Mar',
  'Nor',
  'Or',
  'Pax',
  'Quan',
  'Ral',
  'Sol',
  'Tor',
  'Ul',
  'Val',
  'Wes',
  'Xen',
  'Yar',
  'Zen',
  'Ath',
  'Bri',
  'Cas',
  'Dor',
  'Ev',
  'Fin',
];

export const NAME_ENDS: readonly string[] = [
  'tex',
  'ora',
  'ix',
  'wind',
  'stone',
  'field',
  'bridge',
  'ware',
  'gate',
  'core',
  'line',
  'point',
  'view',
  'crest',
  'haven',
  'ford',
  'wick',
  'ton',
  'ium',
  'vex',
  'dale',
  'mont',
  'sys',
  'ara',
];

/** Surnames for partnership-style account names, some with non-ASCII letters and apostrophes. */
export const SURNAMES: readonly string[] = [
  'Smith',
  'Johnson',
  'Chen',
  'Patel',
  'García',
  'Müller',
  'Schäfer',
  'Dubois',
  'Lefèvre',
  'Rossi',
  'Silva',
  'Tanaka',
  'Kowalski',
  "O'Brien",
  'Johansson',
  'Nguyen',
  'Okafor',
  'Novak',
  'Haddad',
  'Byrne',
  'Núñez',
  'Andersen',
  'Kim',
  'Moreau',
  'Fischer',
  'Walsh',
  'Costa',
  'Ivanova',
  'Larsen',
  'Mehta',
];

export const OWNER_FIRST_NAMES: readonly string[] = [
  'Jane',
  'Marcus',
  'Priya',
  'Tom',
  'Aisha',
  'Lukas',
  'Sofia',
  'Daniel',
  'Mei',
  'Carlos',
  'Hannah',
  'Omar',
  'Chloé',
  'Ben',
  'Yuki',
  'Grace',
  'Ravi',
  'Elena',
  'Sam',
  'Nora',
  'Jonas',
  'Fatima',
  'Liam',
  'Zoë',
  'Mateo',
  'Ingrid',
  'Kwame',
  'Ana',
  'Felix',
  'Leah',
];

export const OWNER_LAST_NAMES: readonly string[] = [
  'Doe',
  'Reed',
  'Nair',
  'Becker',
  'Khan',
  'Weber',
  'Romano',
  'Park',
  'Lin',
  'Ortega',
  'Brooks',
  'Haddad',
  'Martin',
  'Clarke',
  'Sato',
  'Hughes',
  'Iyer',
  'Petrova',
  'Lee',
  'Berg',
  'Vogel',
  'Rahman',
  'Murphy',
  'Dupont',
  'Alves',
  'Lund',
  'Mensah',
  'Pereira',
  'Wagner',
  "O'Neill",
];

/** Domain of every generated owner address (reserved for documentation by RFC 2606). */
export const OWNER_DOMAIN = 'example.com';

/**
 * Relative revenue by calendar month (January first), mean 1: heavier in Q4 with a December peak, a
 * January lull after year-end, and a summer dip in July and August.
 */
export const SEASONALITY: readonly number[] = [
  0.9, 0.93, 1.03, 0.98, 1.0, 0.97, 0.84, 0.77, 1.0, 1.08, 1.15, 1.35,
];
