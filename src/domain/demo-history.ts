import type { FitAttribute, FitRule } from "./agreement.ts";
import { defaultAgreement } from "./default-agreement.ts";
import {
  type ActorType,
  allowedMoves,
  type FitGrade,
  type Qualification,
  reasonsForMove,
  type Stage,
  type TransitionRecord,
} from "./lifecycle.ts";

/**
 * A synthetic but plausible year of funnel history for `accord demo`. Pure and deterministic:
 * every draw comes from one seeded generator, so the same seed and `now` give the same data.
 * Scores and reasons follow the default agreement, and every move is one `allowedMoves` permits.
 */

export type DemoOptions = {
  seed: number;
  now: Date;
  /** Default 2000. */
  accounts?: number;
  /** Default 10000. */
  leads?: number;
  /** Default 12. */
  months?: number;
  agreementVersion: number;
  /** Ids of owner users; either list may be empty (actor and owner ids are then null). */
  users: { sdrs: string[]; aes: string[] };
};

export type DemoAccount = {
  id: string;
  name: string;
  domain: string;
  industry: string;
  employees: number;
  annualRevenue: number;
  country: string;
  technologies: string[];
  createdAt: Date;
};

export type DemoLead = {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  title: string;
  seniority: string;
  department: string;
  phone: string | null;
  country: string;
  company: string;
  accountId: string | null;
  source: string;
  campaign: string | null;
  sourcedBy: "marketing" | "sales";
  consent: boolean;
  ownerId: string | null;
  stage: Stage;
  stageEnteredAt: Date;
  qualification: Qualification;
  createdAt: Date;
  fitScore: number;
  fitGrade: FitGrade;
  engagementScore: number;
};

export type DemoTransition = Omit<TransitionRecord, never> & { id: string; leadId: string };

export type DemoCampaign = {
  key: string;
  name: string;
  channel: string;
  startsAt: Date;
  endsAt: Date;
  budget: number;
};

export type DemoHistory = {
  accounts: DemoAccount[];
  leads: DemoLead[];
  transitions: DemoTransition[];
  campaigns: DemoCampaign[];
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const agreement = defaultAgreement;

// ---------------------------------------------------------------------------------------------
// Seeded randomness: sfc32 (128-bit state) seeded through splitmix32. A 32-bit generator such
// as mulberry32 would repeat UUIDs after ~2^16 ids (birthday bound), so ids need the wider state.

export type Rng = {
  u32(): number;
  float(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  weighted<T>(xs: readonly (readonly [T, number])[]): T;
  normal(): number;
  lognormal(median: number, sigma: number): number;
};

export function createRng(seed: number, stream: number): Rng {
  const s = Number.isFinite(seed) ? Math.trunc(seed) : 0;
  let sm = (s >>> 0) ^ Math.imul(Math.floor(s / 4294967296) >>> 0, 0x27d4eb2d);
  sm = (sm ^ Math.imul(stream + 1, 0x165667b1)) | 0;
  const splitmix = (): number => {
    sm = (sm + 0x9e3779b9) | 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const float = (): number => u32() / 4294967296;
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    const u = 1 - float();
    const v = float();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return {
    u32,
    float,
    int: (min, max) => min + Math.floor(float() * (max - min + 1)),
    chance: (p) => float() < p,
    pick: (xs) => xs[Math.floor(float() * xs.length)]!,
    weighted: (xs) => {
      let total = 0;
      for (const [, w] of xs) total += w;
      let r = float() * total;
      for (const [v, w] of xs) {
        r -= w;
        if (r < 0) return v;
      }
      return xs[xs.length - 1]![0];
    },
    normal,
    lognormal: (median, sigma) => median * Math.exp(sigma * normal()),
  };
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** RFC 4122 version 4 layout (version nibble 4, variant 10xx) filled from the generator. */
function uuid(rng: Rng): string {
  const w1 = rng.u32();
  const w2 = rng.u32();
  const w3 = rng.u32();
  const w4 = rng.u32();
  return `${hex(w1, 8)}-${hex(w2 >>> 16, 4)}-${hex((w2 & 0x0fff) | 0x4000, 4)}-${hex(((w3 >>> 16) & 0x3fff) | 0x8000, 4)}-${hex(w3 & 0xffff, 4)}${hex(w4, 8)}`;
}

// ---------------------------------------------------------------------------------------------
// Calendar helpers. Business time is Mon–Fri 09:00–17:00 UTC: the demo team sits in one zone.

const OPEN = 9 * HOUR;
const CLOSE = 17 * HOUR;

function isWeekend(day: number): boolean {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday === 0 || weekday === 6;
}

function toBusinessTime(ms: number): number {
  let day = Math.floor(ms / DAY);
  let tod = ms - day * DAY;
  for (;;) {
    if (!isWeekend(day)) {
      if (tod < OPEN) return day * DAY + OPEN;
      if (tod < CLOSE) return day * DAY + tod;
    }
    day++;
    tod = 0;
  }
}

function addBusinessHours(ms: number, hours: number): number {
  let t = toBusinessTime(ms);
  let remaining = hours * HOUR;
  for (;;) {
    const close = Math.floor(t / DAY) * DAY + CLOSE;
    if (t + remaining <= close) return t + remaining;
    remaining -= close - t;
    t = toBusinessTime(close);
  }
}

function roundTo(ms: number, step: number): number {
  return Math.round(ms / step) * step;
}

function quarterOf(ms: number): string {
  return `Q${Math.floor(new Date(ms).getUTCMonth() / 3) + 1}`;
}

function yearOf(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

function seasonOf(ms: number): string {
  const m = new Date(ms).getUTCMonth();
  return m < 2 || m === 11 ? "Winter" : m < 5 ? "Spring" : m < 8 ? "Summer" : "Fall";
}

// ---------------------------------------------------------------------------------------------
// Word lists. Tables are written as "|"-separated strings so each stays on one line.

type Weighted = readonly (readonly [string, number])[];

/** "a 3|b c 1" → [["a", 3], ["b c", 1]]. */
function weights(spec: string): Weighted {
  return spec.split("|").map((part) => {
    const i = part.lastIndexOf(" ");
    return [part.slice(0, i), Number(part.slice(i + 1))] as const;
  });
}
const list = (spec: string): readonly string[] => spec.split("|");
const words = (spec: string): readonly string[] => spec.split(" ");

const industries = weights(
  "Software 16|SaaS 14|Fintech 10|Healthcare IT 8|Manufacturing 12|Retail 10|Logistics 8|Education 8|Government 5|Media 9",
);
const countries = weights(
  "US 44|GB 12|DE 9|FR 6|CA 6|NL 4|AU 3|IE 2|SE 2|ES 2|IN 2|IT 1.5|CH 1.5|BE 1.2|DK 1|PL 1|SG 1|BR 1|AT 0.8|NO 0.8|JP 0.8|IL 0.8|FI 0.6|MX 0.6|NZ 0.5|ZA 0.5",
);
const phonePrefixes: Record<string, string> = Object.fromEntries(
  weights(
    "US 1|CA 1|GB 44|DE 49|FR 33|NL 31|AU 61|IE 353|SE 46|ES 34|IN 91|IT 39|CH 41|BE 32|DK 45|PL 48|SG 65|BR 55|AT 43|NO 47|JP 81|IL 972|FI 358|MX 52|NZ 64|ZA 27",
  ).map(([country, code]) => [country, `+${code}`]),
);
/** Country-code top-level domains; countries not listed use `.com` or their own code half the time. */
const countryTlds: Record<string, Weighted> = {
  US: weights("com 1"),
  CA: weights("com 6|ca 4"),
  GB: weights("co.uk 6|com 4"),
  AU: weights("com.au 6|com 4"),
  NZ: weights("co.nz 6|com 4"),
  JP: weights("co.jp 5|com 5"),
  BR: weights("com.br 6|com 4"),
  MX: weights("com.mx 5|com 5"),
  ZA: weights("co.za 6|com 4"),
  IL: weights("co.il 5|com 5"),
};
const usAreaCodes = words(
  "212 312 415 512 617 646 650 720 737 206 303 404 469 503 619 704 773 857 929 980",
);

const standaloneNames = words(
  "Northwind Meridian Lumen Nimbus Keystone Pinnacle Vertex Waypoint Zephyr Atlas Beacon Crescent Ember Falcon Foxglove Glacier Helix Horizon Indigo Juniper Kestrel Lattice Mosaic Nova Oakridge Onyx Parallax Prairie Quarry Riverbend Sable Sequoia Skyward Solstice Spruce Tandem Tidewater Topaz Tundra Vantage Willow Alder Apex Arbor Aurora Basalt Birch Cascade Cobalt Compass Condor Cypress Drift Everest Fathom Fjord Granite Harbor Heron Ironwood Jasper Kinetic Larkspur Magnolia Marlin Monarch Nautilus Obsidian Orchid Osprey Pelican Quill Radiant Redwood Sapphire Sierra Sterling Summit Talon Tesseract Trellis Vector Verdant Wren Yarrow Zenith Amberly Bramble Calloway Dunmore Elmstead Fairhaven Greystone Hollis Linden Marlow Pemberton Thornbury Westbrook",
);
const compoundHeads = words(
  "Blue Red Silver Gold North South East West Bright Clear Swift Iron Green Grand True High Open Deep Bold Still Far Fair Stone Cloud Sun Moon Star Snow",
);
const compoundTails = words(
  "harbor ridge peak river stone field bridge point gate path light wave rock creek lake vale forge pine oak wind sky leaf fox hawk water mark line",
);
const industrySuffixes: Record<string, readonly string[]> = {
  Software: list("Software|Systems|Labs|Technologies|Analytics|Digital|Works|Data|Computing"),
  SaaS: list("Cloud|HQ|Hub|Stack|Analytics|Apps|Platform|Insights|Metrics"),
  Fintech: list("Pay|Capital|Finance|Ledger|Payments|Money|Credit|Wealth|Banking"),
  "Healthcare IT": list("Health|Medical Systems|Care|Clinical|MedTech|Health Data|Diagnostics"),
  Manufacturing: list(
    "Manufacturing|Industries|Components|Precision|Fabrication|Materials|Machinery",
  ),
  Retail: list("Outfitters|Goods|Supply Co.|Market|Home|Brands|Apparel|Stores"),
  Logistics: list("Logistics|Freight|Shipping|Transport|Cargo|Fulfillment|Supply Chain"),
  Education: list("Learning|Academy|Education|EdTech|Tutoring|Schools|Institute"),
  Media: list("Media|Studios|Publishing|Broadcasting|Press|Entertainment|Network|Audio"),
};
const governmentPatterns: readonly ((place: string) => string)[] = [
  (p) => `City of ${p}`,
  (p) => `${p} County`,
  (p) => `${p} Regional Transit Authority`,
  (p) => `${p} Water District`,
  (p) => `Port of ${p}`,
  (p) => `${p} Public Library`,
  (p) => `${p} Housing Authority`,
  (p) => `${p} Department of Revenue`,
];

const techCrm = weights(
  "Salesforce 38|HubSpot 28|Pipedrive 8|Microsoft Dynamics 365 10|Zoho CRM 6|none 10",
);
const techMarketing = weights(
  "Marketo 15|Pardot 12|Eloqua 5|Mailchimp 20|ActiveCampaign 8|none 40",
);
const techOther = list(
  "Google Analytics|Segment|Slack|Microsoft Teams|Zoom|Snowflake|BigQuery|Zendesk|Intercom|AWS|Google Cloud|Azure|Gong|Outreach|Salesloft|ZoomInfo|6sense|Looker|Tableau|NetSuite|Workday|Jira",
);
const techByIndustry: Record<string, readonly string[]> = {
  Retail: list("Shopify|Magento"),
  Manufacturing: list("SAP|Oracle ERP"),
  Logistics: list("SAP|Oracle ERP"),
  Education: list("Canvas|Blackboard"),
  Fintech: list("Stripe|Plaid"),
  SaaS: list("Stripe|Mixpanel"),
  Software: list("GitHub|Datadog"),
};
/** The default agreement's core industries: outbound targets them first. */
const coreIndustries = new Set(["Software", "SaaS", "Fintech", "Healthcare IT"]);
/** Revenue per employee in USD, roughly by industry. */
const revenuePerEmployee: Record<string, number> = Object.fromEntries(
  weights(
    "Software 210000|SaaS 190000|Fintech 320000|Healthcare IT 170000|Manufacturing 260000|Retail 150000|Logistics 200000|Education 90000|Government 120000|Media 160000",
  ),
);
/** Employee-count buckets [min, max, weight]: many small companies, few enterprises. */
const sizeBuckets = weights("2-49 40|50-199 28|200-999 18|1000-4999 9|5000-60000 5");

type Locale = "en" | "de" | "fr" | "nl" | "latin" | "nordic" | "in" | "jp" | "pl" | "il" | "sg";
const localesByCountry: Record<Locale, string> = {
  en: "US GB CA AU IE NZ ZA",
  de: "DE AT CH",
  fr: "FR BE",
  nl: "NL",
  latin: "ES IT MX BR",
  nordic: "SE DK NO FI",
  in: "IN",
  jp: "JP",
  pl: "PL",
  il: "IL",
  sg: "SG",
};
const localeOf = new Map<string, Locale>(
  (Object.keys(localesByCountry) as Locale[]).flatMap((l) =>
    words(localesByCountry[l]).map((c) => [c, l] as const),
  ),
);

const names: Record<Locale, { first: readonly string[]; last: readonly string[] }> = {
  en: {
    first: words(
      "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Chris Karen Daniel Lisa Matthew Nancy Anthony Emily Mark Ashley Andrew Megan Joshua Rachel Ryan Laura Kevin Amanda Brian Melissa Jason Stephanie Justin Rebecca Tyler Hannah Nathan Olivia Ethan Grace Liam Chloe Noah Sophie Oliver Emma Jack Lucy Harry Charlotte Owen Zoe",
    ),
    last: words(
      "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Bailey Reed Kelly Howard Cox Ward Richardson Watson Brooks Bennett Gray Hughes Price Sanders Patel Kim Chen Nguyen Walsh O'Brien",
    ),
  },
  de: {
    first: words(
      "Lukas Anna Jonas Laura Leon Lea Finn Julia Paul Lena Felix Sarah Maximilian Katharina Tobias Johanna Jan Sophie Stefan Sabine Markus Claudia Andreas Petra Thomas Nicole Jürgen Anja Matthias Miriam",
    ),
    last: words(
      "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Werner Krause Lehmann Köhler Huber",
    ),
  },
  fr: {
    first: words(
      "Camille Louis Léa Hugo Chloé Lucas Manon Jules Inès Arthur Julie Nicolas Claire Thomas Émilie Antoine Marie Julien Sophie Mathieu Céline Pierre Aurélie Maxime Élodie Vincent Pauline Romain Anne-Marie Jean-Luc",
    ),
    last: words(
      "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Lambert Bonnet François Martinez Legrand",
    ),
  },
  nl: {
    first: words(
      "Daan Emma Sem Julia Lucas Sophie Levi Tess Finn Anna Bram Lotte Thijs Sanne Ruben Fleur Jeroen Femke Bas Eline Joost Marloes Pieter Lieke Wouter Iris Niels Esther Koen Mirjam",
    ),
    last: list(
      "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer|Kok|Jacobs|de Haan|Vermeulen|van der Linden",
    ),
  },
  latin: {
    first: words(
      "Lucía Martín Sofía Mateo Valentina Diego Camila Javier Isabella Pablo Giulia Marco Francesca Luca Chiara Alessandro Elena Matteo Ana Carlos María João Beatriz Pedro Gabriela Rafael Fernanda Tiago Laura Andrés",
    ),
    last: words(
      "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Díaz Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Silva Santos Oliveira Souza Costa Pereira Almeida Ramírez Torres Herrera",
    ),
  },
  nordic: {
    first: words(
      "Erik Anna Lars Ingrid Oskar Elin Magnus Sofia Nils Maja Anders Karin Henrik Astrid Johan Emma Mikkel Freja Jonas Sara Mathias Ida Kristian Sanna Mikko Aino Ville Liisa Olav Sigrid",
    ),
    last: words(
      "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsen Hansen Nielsen Jensen Pedersen Christensen Berg Lindqvist Lindberg Holm Dahl Virtanen Korhonen Nieminen Haugen Johansen Bakken Lund Strand Sandberg Engström Nyström Halvorsen Laine",
    ),
  },
  in: {
    first: words(
      "Aarav Priya Rohan Ananya Vikram Neha Arjun Kavya Rahul Divya Sanjay Pooja Amit Shreya",
    ),
    last: words("Sharma Patel Gupta Singh Iyer Reddy Nair Kumar Mehta Rao Joshi Menon Desai Bose"),
  },
  jp: {
    first: words("Haruto Yui Kenji Sakura Takumi Aoi Hiroshi Yuki Daiki Mei Sota Hana Ren Emi"),
    last: words(
      "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki Mori",
    ),
  },
  pl: {
    first: words(
      "Piotr Zofia Tomasz Katarzyna Jakub Agnieszka Michał Anna Paweł Magdalena Krzysztof Joanna",
    ),
    last: words(
      "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Mazur",
    ),
  },
  il: {
    first: words("Noam Yael Avi Tamar Itai Noa Eitan Maya Omer Shira Yonatan Dana"),
    last: words(
      "Cohen Levi Mizrahi Friedman Peretz Biton Dahan Avraham Katz Shapiro Golan Ben-David",
    ),
  },
  sg: {
    first: words("Wei Mei Jun Hui Arif Siti Darren Grace Marcus Rachel Hafiz Nurul"),
    last: words("Tan Lim Lee Wong Ng Goh Chua Ong Teo Koh Rahman Ismail"),
  },
};

const seniorities = ["c_level", "vp", "director", "manager", "individual"] as const;
type Seniority = (typeof seniorities)[number];

const departments = weights(
  "marketing 34|sales 18|revenue_operations 10|it 8|engineering 5|finance 5|operations 8|customer_success 5|product 4|human_resources 3",
);

/** Titles per department, by seniority in the order of `seniorities`, levels split by " / ". */
const titleSpecs: Record<string, string> = {
  marketing:
    "Chief Marketing Officer / VP Marketing|VP Demand Generation|VP Growth Marketing / Director of Marketing|Director of Demand Generation|Head of Marketing Operations|Director of Product Marketing / Marketing Manager|Demand Generation Manager|Marketing Operations Manager|Content Marketing Manager|Field Marketing Manager / Marketing Specialist|Marketing Coordinator|Content Marketer|Marketing Operations Analyst|Growth Marketer",
  sales:
    "Chief Sales Officer|Chief Revenue Officer / VP Sales|VP Sales Development|VP Enterprise Sales / Sales Director|Director of Sales Development|Head of Inside Sales / Sales Manager|SDR Manager|Regional Sales Manager / Account Executive|Sales Development Representative|Business Development Representative|Account Manager",
  revenue_operations:
    "Chief Revenue Officer / VP Revenue Operations / Director of Revenue Operations|Head of RevOps / Revenue Operations Manager|Sales Operations Manager|CRM Manager / Revenue Operations Analyst|Sales Operations Analyst|CRM Administrator",
  it: "Chief Information Officer / VP Information Technology / IT Director|Director of Business Systems / IT Manager|Business Systems Manager / Systems Administrator|Business Systems Analyst|IT Specialist",
  engineering:
    "Chief Technology Officer / VP Engineering / Director of Engineering / Engineering Manager / Software Engineer|Data Engineer|Solutions Engineer",
  finance:
    "Chief Financial Officer / VP Finance / Finance Director|Director of FP&A / Finance Manager|Controller / Financial Analyst|Accountant",
  operations:
    "Chief Operating Officer / VP Operations / Director of Operations / Operations Manager / Operations Analyst|Operations Coordinator",
  customer_success:
    "Chief Customer Officer / VP Customer Success / Director of Customer Success / Customer Success Manager / Customer Success Associate|Onboarding Specialist",
  product:
    "Chief Product Officer / VP Product / Director of Product Management / Product Manager|Senior Product Manager / Product Analyst|Associate Product Manager",
  human_resources:
    "Chief People Officer / VP People / HR Director / HR Manager|Talent Acquisition Manager / Recruiter|HR Generalist",
  executive:
    "Chief Executive Officer|Founder & CEO|Co-Founder|Managing Director|President / VP Strategy / Director of Strategy / Chief of Staff / Executive Assistant",
};
const titles: Record<string, Record<Seniority, readonly string[]>> = Object.fromEntries(
  Object.entries(titleSpecs).map(([dept, spec]) => {
    const levels = spec.split(" / ").map(list);
    return [
      dept,
      Object.fromEntries(seniorities.map((s, i) => [s, levels[i]!])) as Record<
        Seniority,
        readonly string[]
      >,
    ];
  }),
);

const freeMailDomains = weights("gmail.com 62|outlook.com 24|yahoo.com 14");
const salesSources = weights("outbound 60|referral 22|partner 18");
const organicSources = weights("website 45|organic_search 40|content 8|email 7");
/** How much likelier than average a source's MRLs are to reach MQL. */
const sourceQuality: Record<string, number> = Object.fromEntries(
  weights(
    "webinar 1.15|event 1.1|paid_search 1|website 1.05|email 1|content 0.85|organic_search 0.9|paid_social 0.8",
  ),
);

// ---------------------------------------------------------------------------------------------
// Text helpers.

function ascii(s: string): string {
  return s
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/Ä/g, "Ae")
    .replace(/Ö/g, "Oe")
    .replace(/Ü/g, "Ue")
    .replace(/ß/g, "ss")
    .replace(/[łŁ]/g, "l")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
}

function slug(s: string): string {
  return ascii(s)
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/\bco\.$/, "co")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function emailPart(s: string): string {
  return ascii(s)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "");
}

// ---------------------------------------------------------------------------------------------
// Fit scoring under the default agreement, so grades line up with what the app would compute.

type FitInput = Record<FitAttribute, string | number | readonly string[] | null>;

function ruleMatches(rule: FitRule, value: string | number | readonly string[] | null): boolean {
  if (value === null) return false;
  const m = rule.match;
  switch (m.op) {
    case "range":
      return (
        typeof value === "number" &&
        (m.min === undefined || value >= m.min) &&
        (m.max === undefined || value < m.max)
      );
    case "in": {
      const list =
        typeof value === "string" ? [value] : typeof value === "number" ? [String(value)] : value;
      return list.some((v) => m.values.some((x) => x.toLowerCase() === v.toLowerCase()));
    }
    case "contains":
      return (
        typeof value === "string" &&
        m.values.some((x) => value.toLowerCase().includes(x.toLowerCase()))
      );
  }
}

function fitOf(input: FitInput): { score: number; grade: FitGrade } {
  let score = 0;
  for (const rule of agreement.scoring.fit.rules) {
    if (ruleMatches(rule, input[rule.attribute])) score += rule.points;
  }
  score = Math.max(0, Math.min(100, score));
  const g = agreement.scoring.fit.grades;
  const grade: FitGrade = score >= g.A ? "A" : score >= g.B ? "B" : score >= g.C ? "C" : "D";
  return { score, grade };
}

// ---------------------------------------------------------------------------------------------
// Campaigns.

/**
 * One campaign per entry: channel, start as a share of the window, weeks, budget range, name
 * ({Q}, {Y} and {S} are the quarter, year and season of the start).
 */
const campaignTemplates = [
  "webinar 0.04 8 12000-30000 {Q} Pipeline Webinar Series",
  "content 0.12 14 8000-25000 RevOps Benchmark Report {Y}",
  "paid_social 0.22 10 20000-60000 LinkedIn ABM: Enterprise Fintech",
  "event 0.33 3 40000-120000 RevGrowth Summit {Y}",
  "content 0.42 12 6000-18000 Lead Scoring Playbook eBook",
  "webinar 0.53 8 12000-30000 {Q} Pipeline Webinar Series",
  "email 0.6 6 3000-10000 {S} Product Launch Email Series",
  "event 0.7 4 30000-80000 Sales & Marketing SLA Roadshow",
  "paid_social 0.76 12 15000-40000 Retargeting: Pricing Page Visitors",
  "webinar 0.86 8 10000-25000 {Q} Customer Stories Webinar",
].map((spec) => {
  const [channel, at, weeks, budget, ...name] = spec.split(" ");
  const [min, max] = budget!.split("-").map(Number) as [number, number];
  return {
    channel: channel!,
    at: Number(at),
    weeks: Number(weeks),
    min,
    max,
    name: name.join(" "),
  };
});

type CampaignDraft = DemoCampaign & { start: number; end: number; weight: number };

function makeCampaigns(rng: Rng, windowStart: number, nowMs: number): CampaignDraft[] {
  const span = nowMs - windowStart;
  const keys = new Set<string>();
  const names = new Set<string>();
  const unique = (base: string, taken: Set<string>, sep: string): string => {
    let v = base;
    for (let i = 2; taken.has(v); i++) v = `${base}${sep}${i}`;
    taken.add(v);
    return v;
  };
  const out: CampaignDraft[] = [];
  const add = (name: string, channel: string, start: number, end: number, budget: number): void => {
    const uniqueName = unique(name, names, " #");
    const key = unique(`${slug(name)}-${yearOf(start)}`.replace(/-(\d{4})-\1$/, "-$1"), keys, "-");
    out.push({
      key,
      name: uniqueName,
      channel,
      startsAt: new Date(start),
      endsAt: new Date(end),
      budget,
      start,
      end,
      weight: budget / Math.max(1, (end - start) / DAY),
    });
  };
  // Always-on search runs through the whole window, so every moment has an active campaign.
  const alwaysOnEnd = Math.floor(nowMs / DAY) * DAY + 60 * DAY;
  const months = Math.max(1, Math.round(span / (30 * DAY)));
  add(
    "Always-on Search: Funnel Analytics",
    "paid_search",
    Math.floor(windowStart / DAY) * DAY,
    alwaysOnEnd,
    roundTo(rng.int(8_000, 12_000) * months, 500),
  );
  for (const tpl of campaignTemplates) {
    const start =
      Math.floor((windowStart + span * (tpl.at + (rng.float() - 0.5) * 0.03)) / DAY) * DAY;
    const s = Math.max(Math.floor(windowStart / DAY) * DAY, start);
    const end = s + Math.round(tpl.weeks * (0.85 + rng.float() * 0.3)) * 7 * DAY;
    const name = tpl.name
      .replace("{Q}", quarterOf(s))
      .replace("{Y}", String(yearOf(s)))
      .replace("{S}", seasonOf(s));
    add(name, tpl.channel, s, end, roundTo(rng.int(tpl.min, tpl.max), 500));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Accounts.

type AccountDraft = Omit<DemoAccount, "createdAt"> & { leadWeight: number; salesWeight: number };

function companyName(rng: Rng, industry: string): string {
  if (industry === "Government") return rng.pick(governmentPatterns)(rng.pick(standaloneNames));
  const suffix = rng.pick(industrySuffixes[industry] ?? industrySuffixes.Software!);
  const style = rng.float();
  if (style < 0.55) return `${rng.pick(standaloneNames)} ${suffix}`;
  const head = rng.pick(compoundHeads);
  const tail = rng.pick(compoundTails);
  if (style < 0.8) return `${head}${tail} ${suffix}`;
  return `${head} ${tail[0]!.toUpperCase()}${tail.slice(1)} ${suffix}`;
}

function domainCandidates(rng: Rng, name: string, industry: string, country: string): string[] {
  const hyphen = slug(name);
  const joined = hyphen.replace(/-/g, "");
  if (industry === "Government") {
    const tld = country === "US" ? "gov" : country === "GB" ? "gov.uk" : "org";
    return [`${joined}.${tld}`, `${hyphen}.${tld}`, `${joined}-gov.org`];
  }
  const table = countryTlds[country] ?? weights(`com 5|${country.toLowerCase()} 5`);
  let tld = rng.weighted(table);
  if (tld === "com" && (industry === "Software" || industry === "SaaS") && rng.chance(0.2))
    tld = "io";
  const first = rng.chance(0.6) ? hyphen : joined;
  const second = first === hyphen ? joined : hyphen;
  const head = hyphen.split("-")[0]!;
  return [
    `${first}.${tld}`,
    `${second}.${tld}`,
    `${hyphen}-group.${tld}`,
    `get${head}.${tld}`,
    `${hyphen}-hq.${tld}`,
  ];
}

function makeAccounts(rng: Rng, ids: Rng, count: number): AccountDraft[] {
  const names = new Set<string>();
  const domains = new Set<string>();
  const out: AccountDraft[] = [];
  for (let i = 0; i < count; i++) {
    const industry = rng.weighted(industries);
    const country = rng.weighted(countries);
    let name = companyName(rng, industry);
    for (let attempt = 0; names.has(name.toLowerCase()); attempt++) {
      name =
        attempt < 30
          ? companyName(rng, industry)
          : `${rng.pick(compoundHeads)} ${companyName(rng, industry)}`;
    }
    names.add(name.toLowerCase());
    let domain = domainCandidates(rng, name, industry, country).find((d) => !domains.has(d));
    for (let n = 2; domain === undefined; n++) {
      const d = `${slug(name)}-${n}.com`;
      if (!domains.has(d)) domain = d;
    }
    domains.add(domain);

    const [min, max] = rng.weighted(sizeBuckets).split("-").map(Number) as [number, number];
    const govOrEdu = industry === "Government" || industry === "Education";
    let employees = Math.round(
      Math.exp(Math.log(min) + rng.float() * (Math.log(max) - Math.log(min))),
    );
    if (govOrEdu && employees < 50) employees = employees * 4 + 20; // public bodies are rarely tiny
    const perHead = (revenuePerEmployee[industry] ?? 180_000) * rng.lognormal(1, 0.35);
    const annualRevenue = roundSignificant(employees * perHead, 3);

    const tech = new Set<string>();
    for (const category of [techCrm, techMarketing]) {
      const choice = rng.weighted(category);
      if (choice !== "none") tech.add(choice);
    }
    const extra = Math.min(6, 1 + Math.floor(Math.log10(employees)) + rng.int(0, 2));
    for (let k = 0; k < extra; k++) tech.add(rng.pick(techOther));
    const special = techByIndustry[industry];
    if (special && rng.chance(0.5)) tech.add(rng.pick(special));

    const core = coreIndustries.has(industry);
    out.push({
      id: uuid(ids),
      name,
      domain,
      industry,
      employees,
      annualRevenue,
      country,
      technologies: [...tech],
      leadWeight: employees ** 0.45,
      salesWeight: employees ** 0.7 * (core ? 2 : 1),
    });
  }
  return out;
}

function roundSignificant(x: number, digits: number): number {
  if (x <= 0) return 0;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(x)) - digits + 1);
  return Math.round(x / step) * step;
}

function cumulative(weights: readonly number[]): Float64Array {
  const cum = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    cum[i] = total;
  });
  return cum;
}

function pickIndex(rng: Rng, cum: Float64Array): number {
  const r = rng.float() * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// The funnel walk.

type Role = "sdr" | "ae";
type WalkContext = {
  rng: Rng;
  ids: Rng;
  nowMs: number;
  version: number;
  nextOwner: (role: Role) => string | null;
};

type LeadProfile = {
  id: string;
  createdAt: number;
  sales: boolean;
  consent: boolean;
  student: boolean;
  grade: FitGrade;
  source: string;
  employees: number;
  title: string;
  seniority: Seniority;
  department: string;
};

type WalkResult = {
  transitions: DemoTransition[];
  stage: Stage;
  stageEnteredAt: number;
  qualification: Qualification;
  ownerId: string | null;
  handRaised: boolean;
};

/** Reason mixes per move; `go` checks each against `reasonsForMove` so none can drift. */
const rejectionRecycle = weights(
  "bad_timing 30|no_budget 20|no_need 14|unreachable 18|no_authority 13|existing_opportunity 5",
);
const rejectionDisqualify = weights(
  "wrong_fit 35|duplicate 14|fake_or_spam 8|student_or_job_seeker 6|competitor 5|no_need 18|no_authority 14",
);
const sqlRecycle = weights("bad_timing 35|no_budget 30|no_authority 20|existing_opportunity 15");
const sqlDisqualify = weights("wrong_fit 45|no_need 40|competitor 15");
const lossReasons = weights(
  "price 22|competitor_won 26|no_decision 30|missing_feature 12|timing 10",
);
const lostRecycle = weights("timing 35|bad_timing 25|no_decision 20|no_budget 20");
const leadDisqualify = weights("fake_or_spam 60|duplicate 25|competitor 15");
const nurtureDisqualify = weights("duplicate 40|wrong_fit 60");

const reasonNotes: Record<string, readonly string[]> = {
  unreachable: [
    "Six attempts over two weeks, no reply.",
    "Phone number bounces; emails unanswered.",
  ],
  bad_timing: [
    "Revisit next quarter after their planning cycle.",
    "Mid-migration to a new CRM; not before it ends.",
  ],
  no_budget: ["Budget frozen until next fiscal year.", "Interested, but no budget line for it."],
  no_authority: ["Individual contributor researching; no route to a buyer yet."],
  no_need: ["Happy with their spreadsheet process for now."],
  existing_opportunity: ["Colleague already in an open deal."],
  wrong_fit: ["Too small for our product.", "Outside the ICP: no sales team."],
  duplicate: ["Same person as an existing lead with another address."],
  competitor: ["Works for a competing vendor."],
  fake_or_spam: ["Form filled with placeholder data."],
  student_or_job_seeker: ["Student researching a thesis."],
  price: ["Chose a cheaper tool."],
  competitor_won: ["Went with an incumbent's add-on."],
  no_decision: ["Stakeholders could not agree; status quo."],
  missing_feature: ["Needed a native ERP integration."],
  timing: ["Project pushed to next year."],
};

const bant = {
  budget: [
    (k: number, y: number) => `$${k}k approved in the ${y} budget`,
    (k: number) => `$${k}k set aside for revenue tooling`,
    (k: number) => `Up to $${k}k this fiscal year; CFO signs above that`,
    (k: number) => `Replacing current tool; $${k}k annual spend moves over`,
  ],
  authority: [
    (t: string) => `${t} is the economic buyer`,
    (t: string) => `${t} champions it; CFO signs off`,
    (t: string) => `Buying committee: ${t}, CFO and Head of Sales`,
    (t: string) => `${t} owns the decision with the CRO`,
  ],
  need: [
    "Marketing and sales argue about lead quality; no agreed MQL definition",
    "MQLs wait up to two days for follow-up; no SLA tracking",
    "Cannot show the board which pipeline marketing sourced",
    "CRM lead scoring is a black box nobody trusts",
    "Rejected leads vanish; nothing goes back to nurture",
    "Funnel report rebuilt by hand in spreadsheets every Monday",
  ],
  timeframe: [
    (q: string) => `Decision by end of ${q}`,
    () => "Go-live within 60 days of signature",
    (q: string) => `Pilot this quarter, roll-out in ${q}`,
    (q: string) => `Before the ${q} planning cycle`,
  ],
  motivation: [
    "New CRO wants one funnel report for the board",
    "Missed the pipeline target two quarters in a row",
    "Growth plan doubles the SDR team this year",
    "Contract with the incumbent tool ends soon",
    "Merger: two sales teams need one set of definitions",
    "Marketing budget cut unless it proves sourced pipeline",
  ],
} as const;

function qualificationFor(rng: Rng, p: LeadProfile, at: number, meetingAt: number): Qualification {
  const base = p.employees >= 5000 ? 120 : p.employees >= 1000 ? 70 : p.employees >= 200 ? 40 : 15;
  const k = Math.round((base * rng.lognormal(1, 0.3)) / 5) * 5 || 5;
  const later = new Date(at + rng.int(60, 200) * DAY);
  const quarter = `${quarterOf(later.getTime())} ${later.getUTCFullYear()}`;
  const authorityTitle =
    p.seniority === "individual" || p.seniority === "manager" ? "VP Marketing" : p.title;
  return {
    budget: rng.pick(bant.budget)(k, yearOf(at)),
    authority: rng.pick(bant.authority)(authorityTitle),
    need: rng.pick(bant.need),
    timeframe: rng.pick(bant.timeframe)(quarter),
    motivation: rng.pick(bant.motivation),
    meetingAt: new Date(meetingAt).toISOString(),
  };
}

function walkLead(ctx: WalkContext, p: LeadProfile): WalkResult {
  const { rng, nowMs } = ctx;
  const transitions: DemoTransition[] = [];
  let stage = "lead" as Stage;
  let enteredAt = p.createdAt;
  let qualification: Qualification = {};
  let sdr = null as string | null;
  let ae = null as string | null;
  let handRaised = false;
  let open = true;
  const gradeIdx = { A: 0, B: 1, C: 2, D: 3 }[p.grade];

  /** Appends a move unless it would happen after `now`; then the walk ends where it is. */
  const go = (
    to: Stage,
    at: number,
    actor: { type: ActorType; id: string | null },
    opts: { rule?: string; reason?: string; note?: string } = {},
  ): boolean => {
    if (!open) return false;
    const when =
      transitions.length === 0
        ? Math.max(roundTo(at, 1000), p.createdAt)
        : Math.max(roundTo(at, 1000), enteredAt + 1000);
    if (when > nowMs) {
      open = false;
      return false;
    }
    if (!allowedMoves[stage].includes(to)) throw new Error(`demo walk tried ${stage} → ${to}`);
    const reasons = reasonsForMove(agreement, stage, to);
    const reason = reasons ? (opts.reason ?? reasons[0]!.code) : null;
    if (reasons && !reasons.some((r) => r.code === reason))
      throw new Error(`demo reason ${reason} not allowed for ${stage} → ${to}`);
    const notes = reason ? reasonNotes[reason] : undefined;
    const note = opts.note ?? (notes && rng.chance(0.45) ? rng.pick(notes) : null);
    transitions.push({
      id: uuid(ctx.ids),
      leadId: p.id,
      fromStage: stage,
      toStage: to,
      occurredAt: new Date(when),
      actorType: actor.type,
      actorId: actor.id,
      rule: opts.rule ?? null,
      reason,
      note,
      agreementVersion: ctx.version,
    });
    stage = to;
    enteredAt = when;
    return true;
  };
  const rule = (name: string) => ({ rule: name });
  const byRule = { type: "rule" as const, id: null };
  const user = (id: string | null) => ({ type: "user" as const, id });

  const requalifyRule = (): string | null =>
    p.grade === "A" || p.grade === "B"
      ? "criteria:mql"
      : p.grade === "C"
        ? "hand_raiser:demo_request"
        : null;

  const nurture = (pass: number): void => {
    const back = requalifyRule();
    const pBack = [0.35, 0.3, 0.22, 0][gradeIdx]!;
    if (back && pass < 2 && rng.chance(pBack)) {
      if (go("mql", enteredAt + rng.lognormal(60, 0.5) * DAY, byRule, rule(back))) {
        if (back.startsWith("hand_raiser")) handRaised = true;
        mqlPhase(pass + 1);
      }
    } else if (rng.chance(0.06)) {
      go("disqualified", enteredAt + rng.lognormal(100, 0.5) * DAY, byRule, {
        rule: "data_quality",
        reason: rng.weighted(nurtureDisqualify),
      });
    }
  };

  const opportunityPhase = (pass: number): void => {
    const sizeFactor =
      p.employees >= 5000 ? 1.6 : p.employees >= 1000 ? 1.3 : p.employees < 50 ? 0.7 : 1;
    const win = rng.chance([0.32, 0.26, 0.2, 0.15][gradeIdx]!);
    if (win) {
      go(
        "customer",
        addBusinessHours(enteredAt + rng.lognormal(45, 0.5) * sizeFactor * DAY, rng.float() * 8),
        user(ae),
      );
      return;
    }
    if (
      !go(
        "lost",
        addBusinessHours(enteredAt + rng.lognormal(30, 0.6) * sizeFactor * DAY, rng.float() * 8),
        user(ae),
        { reason: rng.weighted(lossReasons) },
      )
    )
      return;
    if (rng.chance(0.35)) {
      if (
        go(
          "recycled",
          addBusinessHours(enteredAt + rng.lognormal(10, 0.6) * DAY, rng.float() * 8),
          user(ae),
          { reason: rng.weighted(lostRecycle) },
        )
      ) {
        nurture(pass);
      }
    }
  };

  const sqlPhase = (pass: number, meetingAt: number): void => {
    ae = ctx.nextOwner("ae");
    const after = addBusinessHours(meetingAt, 1 + rng.lognormal(6, 0.8));
    if (rng.chance(0.7)) {
      if (go("opportunity", after, user(ae))) opportunityPhase(pass);
      return;
    }
    if (rng.chance(0.65)) {
      if (go("recycled", after, user(ae), { reason: rng.weighted(sqlRecycle) })) nurture(pass);
    } else {
      go("disqualified", after, user(ae), { reason: rng.weighted(sqlDisqualify) });
    }
  };

  const salPhase = (pass: number): void => {
    const pSql = [0.5, 0.42, 0.33, 0.26][gradeIdx]! * (p.sales ? 0.95 : 1);
    if (rng.chance(pSql)) {
      const at = addBusinessHours(enteredAt, rng.lognormal(24, 0.75));
      const meetingAt = roundTo(addBusinessHours(at, 2 + rng.lognormal(14, 0.6)), 30 * MINUTE);
      const q = qualificationFor(rng, p, at, meetingAt);
      if (go("sql", at, user(sdr))) {
        qualification = q;
        sqlPhase(pass, meetingAt);
      }
      return;
    }
    const roll = rng.float();
    const at = addBusinessHours(enteredAt, rng.lognormal(36, 0.8));
    if (roll < 0.12) {
      // Still being worked: a partial BANT picture (over any earlier one) and no decision yet.
      const partial: Qualification = { need: rng.pick(bant.need) };
      if (rng.chance(0.5)) partial.authority = rng.pick(bant.authority)(p.title);
      qualification = { ...partial, ...qualification };
    } else if (roll < 0.78) {
      if (go("recycled", at, user(sdr), { reason: rng.weighted(rejectionRecycle) })) nurture(pass);
    } else {
      go("disqualified", at, user(sdr), { reason: rng.weighted(rejectionDisqualify) });
    }
  };

  /** An MQL is routed to an SDR who accepts or rejects it, mostly inside the 5-hour SLA. */
  const mqlPhase = (pass: number): void => {
    sdr = ctx.nextOwner("sdr");
    if (rng.chance(0.03)) return; // never actioned: the SLA breaches the scorecard shows
    const slow = rng.chance(0.22);
    const delay = slow ? 5 + rng.lognormal(9, 0.8) : Math.min(5, rng.lognormal(1.2, 0.9));
    const at = addBusinessHours(enteredAt, delay);
    const pAccept = [0.76, 0.66, 0.54, 0.42][gradeIdx]! * (pass > 0 ? 0.92 : 1);
    if (rng.chance(pAccept)) {
      if (go("sal", at, user(sdr))) salPhase(pass);
    } else if (rng.chance(0.75)) {
      if (go("recycled", at, user(sdr), { reason: rng.weighted(rejectionRecycle) })) nurture(pass);
    } else {
      go("disqualified", at, user(sdr), { reason: rng.weighted(rejectionDisqualify) });
    }
  };

  const c = p.createdAt;
  if (p.sales) {
    // Sales creates the lead already accepted; `lead → sal` is not a move, so it passes mql.
    sdr = ctx.nextOwner("sdr");
    if (go("mql", c, user(sdr), rule("sales_created")) && go("sal", c + 1000, user(sdr)))
      salPhase(0);
  } else if (p.student && rng.chance(0.6)) {
    go("disqualified", c + rng.lognormal(3, 1) * HOUR, byRule, {
      rule: "data_quality",
      reason: "student_or_job_seeker",
    });
  } else if (rng.chance(0.05)) {
    go("disqualified", c + rng.lognormal(2, 1) * HOUR, byRule, {
      rule: "data_quality",
      reason: rng.weighted(leadDisqualify),
    });
  } else if (
    p.grade !== "D" &&
    rng.chance(p.source === "website" || p.source === "paid_search" ? 0.1 : 0.05)
  ) {
    // A demo request from a fit-C-or-better person is an MQL at once.
    handRaised = true;
    if (go("mql", c + rng.int(20, 300) * 1000, byRule, rule("hand_raiser:demo_request")))
      mqlPhase(0);
  } else if (p.consent && rng.chance(0.88)) {
    if (go("mrl", c + rng.lognormal(8, 1) * MINUTE, byRule, rule("criteria:mrl"))) {
      const quality = sourceQuality[p.source] ?? 1;
      const pMql = [0.74, 0.56, 0.09, 0][gradeIdx]! * quality;
      if (rng.chance(pMql)) {
        const viaDemo = p.grade === "C";
        handRaised = viaDemo;
        const at = enteredAt + rng.lognormal(33, 1) * DAY;
        if (go("mql", at, byRule, rule(viaDemo ? "hand_raiser:demo_request" : "criteria:mql")))
          mqlPhase(0);
      } else if (rng.chance(p.grade === "D" ? 0.15 : 0.03)) {
        const reason = p.student ? "student_or_job_seeker" : rng.weighted(nurtureDisqualify);
        go("disqualified", enteredAt + rng.lognormal(10, 1) * DAY, byRule, {
          rule: "data_quality",
          reason,
        });
      }
    }
  }

  const ownerId =
    stage === "mql" || stage === "sal" || stage === "sql"
      ? sdr
      : stage === "opportunity" || stage === "customer" || stage === "lost"
        ? ae
        : null;
  return { transitions, stage, stageEnteredAt: enteredAt, qualification, ownerId, handRaised };
}

function engagementFor(rng: Rng, stage: Stage, grade: FitGrade, handRaised: boolean): number {
  switch (stage) {
    case "lead":
      return rng.int(0, 30);
    case "mrl":
      return grade === "A" || grade === "B" ? rng.int(5, 49) : rng.int(5, 75);
    case "mql":
      return handRaised ? rng.int(60, 100) : rng.int(50, 100);
    case "sal":
    case "sql":
    case "opportunity":
      return rng.int(50, 100);
    case "customer":
      return rng.int(35, 100);
    case "recycled":
      return rng.int(5, 45);
    case "disqualified":
      return rng.int(0, 40);
    case "lost":
      return rng.int(15, 60);
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Generates accounts, leads (with their full transition history) and campaigns for a demo
 * workspace. Volumes grow over the window and cluster on weekdays; every lead's history obeys
 * `allowedMoves`, cites reasons the default agreement allows and ends no later than `now`.
 */
export function generateDemoHistory(opts: DemoOptions): DemoHistory {
  const accountCount = Math.max(0, Math.floor(opts.accounts ?? 2000));
  const leadCount = Math.max(0, Math.floor(opts.leads ?? 10000));
  const months = Math.max(1, Math.floor(opts.months ?? 12));
  const nowMs = opts.now.getTime();
  const startDate = new Date(nowMs);
  startDate.setUTCMonth(startDate.getUTCMonth() - months);
  const windowStart = startDate.getTime();

  // Separate streams so ids do not shift when a tuning constant changes the number of draws.
  const rng = createRng(opts.seed, 0);
  const ids = createRng(opts.seed, 1);

  const campaigns = makeCampaigns(rng, windowStart, nowMs);
  const accounts = makeAccounts(rng, ids, accountCount);
  const leadCum = cumulative(accounts.map((a) => a.leadWeight));
  const salesCum = cumulative(accounts.map((a) => a.salesWeight));

  // Creation times: linearly growing volume (the last month ~2x the first), weekdays favoured.
  const growth = 1;
  const lastCreate = nowMs - MINUTE;
  const times: number[] = [];
  while (times.length < leadCount) {
    const u = rng.float();
    const x = (-1 + Math.sqrt(1 + 2 * growth * u * (1 + growth / 2))) / growth;
    const day = Math.floor((windowStart + x * (lastCreate - windowStart)) / DAY);
    if (isWeekend(day) && rng.chance(0.78)) continue;
    const tod = Math.min(DAY - 1000, Math.max(0, (14.5 + rng.normal() * 3.2) * HOUR));
    const t = roundTo(day * DAY + tod, 1000);
    if (t < windowStart || t > lastCreate) continue;
    times.push(t);
  }
  times.sort((a, b) => a - b);

  const counters = { sdr: 0, ae: 0 };
  const nextOwner = (role: Role): string | null => {
    const list = role === "sdr" ? opts.users.sdrs : opts.users.aes;
    if (list.length === 0) return null;
    return list[counters[role]++ % list.length]!;
  };
  const ctx: WalkContext = { rng, ids, nowMs, version: opts.agreementVersion, nextOwner };

  const emails = new Set<string>();
  const leads: DemoLead[] = [];
  const transitions: DemoTransition[] = [];
  const firstLeadAt = new Map<string, number>();

  for (const createdAt of times) {
    const sales = accounts.length > 0 && rng.chance(0.15);
    const freeMail = !sales && (accounts.length === 0 || rng.chance(0.14));
    const account = freeMail ? null : accounts[pickIndex(rng, sales ? salesCum : leadCum)]!;

    let source: string;
    let campaign: string | null = null;
    if (sales) {
      source = rng.weighted(salesSources);
    } else if (rng.chance(0.72)) {
      const active = campaigns.filter((cp) => cp.start <= createdAt && createdAt < cp.end);
      const chosen = rng.weighted(active.map((cp) => [cp, cp.weight] as const));
      source = chosen.channel;
      campaign = chosen.key;
    } else {
      source = rng.weighted(organicSources);
    }

    const country = account && rng.chance(0.88) ? account.country : rng.weighted(countries);
    const locale = localeOf.get(country) ?? "en";
    const firstName = rng.pick(names[locale].first);
    const lastName = rng.pick(names[locale].last);

    const student = freeMail && rng.chance(0.12);
    const small = account ? account.employees < 50 : true;
    let seniority: Seniority;
    let department: string;
    let title: string;
    if (student) {
      seniority = "individual";
      department = rng.chance(0.5) ? "marketing" : "sales";
      title = rng.pick([
        "Student",
        "MBA Student",
        department === "marketing" ? "Marketing Intern" : "Sales Intern",
      ]);
    } else {
      seniority = rng.weighted([
        ["c_level", small ? 16 : 5],
        ["vp", sales ? 16 : 9],
        ["director", sales ? 28 : 17],
        ["manager", 30],
        ["individual", sales ? 15 : 34],
      ] as const);
      department =
        seniority === "c_level" && rng.chance(small ? 0.6 : 0.3)
          ? "executive"
          : rng.weighted(departments);
      title = rng.pick(titles[department]![seniority]);
    }

    const domain = account ? account.domain : rng.weighted(freeMailDomains);
    const f = emailPart(firstName);
    const l = emailPart(lastName);
    const candidates = account
      ? [`${f}.${l}`, `${f[0]}${l}`, `${f}${l[0]}`, `${f}.${l}2`]
      : [
          `${f}.${l}`,
          `${f}${l}`,
          `${f}.${l}${rng.int(1, 99)}`,
          `${f[0]}${l}${rng.int(70, 99)}`,
          `${f}_${l}${rng.int(100, 999)}`,
        ];
    let local = candidates.find((cand) => !emails.has(`${cand}@${domain}`));
    for (let n = 3; local === undefined; n++) {
      const cand = `${f}.${l}${n}`;
      if (!emails.has(`${cand}@${domain}`)) local = cand;
    }
    const email = `${local}@${domain}`;
    emails.add(email);

    const phone = rng.chance(sales ? 0.9 : 0.55) ? phoneFor(rng, country) : null;
    const company = account
      ? account.name
      : student
        ? `University of ${rng.pick(standaloneNames)}`
        : rng.chance(0.45) && accounts.length > 0
          ? accounts[pickIndex(rng, leadCum)]!.name
          : rng.chance(0.3)
            ? rng.pick(["Freelance", "Self-employed", "Independent consultant"])
            : companyName(rng, rng.weighted(industries));

    const fit = fitOf({
      industry: account?.industry ?? null,
      employees: account?.employees ?? null,
      annualRevenue: account?.annualRevenue ?? null,
      country: account?.country ?? country,
      title,
      seniority,
      department,
      technologies: account?.technologies ?? null,
      emailDomainType: account ? "company" : "free",
    });

    const id = uuid(ids);
    const profile: LeadProfile = {
      id,
      createdAt,
      sales,
      consent: sales ? rng.chance(0.7) : rng.chance(0.9),
      student,
      grade: fit.grade,
      source,
      employees: account?.employees ?? 5,
      title,
      seniority,
      department,
    };
    const walk = walkLead(ctx, profile);
    for (const t of walk.transitions) transitions.push(t);
    if (account && !firstLeadAt.has(account.id)) firstLeadAt.set(account.id, createdAt);

    leads.push({
      id,
      email,
      firstName,
      lastName,
      title,
      seniority,
      department,
      phone,
      country,
      company,
      accountId: account?.id ?? null,
      source,
      campaign,
      sourcedBy: sales ? "sales" : "marketing",
      consent: profile.consent,
      ownerId: walk.ownerId,
      stage: walk.stage,
      stageEnteredAt: new Date(walk.stageEnteredAt),
      qualification: walk.qualification,
      createdAt: new Date(createdAt),
      fitScore: fit.score,
      fitGrade: fit.grade,
      engagementScore: engagementFor(rng, walk.stage, fit.grade, walk.handRaised),
    });
  }

  // An account either came from a CRM import before the window or was created by enrichment
  // when its first lead arrived.
  const outAccounts: DemoAccount[] = accounts.map(({ leadWeight: _lw, salesWeight: _sw, ...a }) => {
    const first = firstLeadAt.get(a.id);
    const imported = first === undefined ? rng.chance(0.5) : rng.chance(0.3);
    const createdAt = imported
      ? roundTo(windowStart - rng.int(1, 720) * DAY - rng.int(0, DAY / 1000) * 1000, 1000)
      : first !== undefined
        ? first - rng.int(1, 120) * 1000
        : roundTo(windowStart + rng.float() * (nowMs - windowStart), 1000);
    return { ...a, createdAt: new Date(Math.min(createdAt, nowMs)) };
  });
  outAccounts.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
  transitions.sort((x, y) => x.occurredAt.getTime() - y.occurredAt.getTime());

  return {
    accounts: outAccounts,
    leads,
    transitions,
    campaigns: campaigns.map(({ start: _s, end: _e, weight: _w, ...cp }) => cp),
  };
}

function phoneFor(rng: Rng, country: string): string {
  const prefix = phonePrefixes[country] ?? "+1";
  if (prefix === "+1")
    return `+1 ${rng.pick(usAreaCodes)} 555 01${String(rng.int(0, 99)).padStart(2, "0")}`;
  const digits = (n: number): string => Array.from({ length: n }, () => rng.int(0, 9)).join("");
  return `${prefix} ${rng.int(1, 9)}${digits(2)} ${digits(3)} ${digits(3)}`;
}
