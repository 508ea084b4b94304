import type { AgreementDocument } from "./agreement.ts";

/**
 * The agreement a new workspace starts from: common B2B definitions that both teams can sign
 * as they are or edit. Numbers follow the industry studies in DESIGN.md (5 business hours to
 * accept an MQL, nurture rather than discard).
 */
export const defaultAgreement: AgreementDocument = {
  name: "Marketing–Sales Service Level Agreement",
  stages: {
    lead: {
      label: "Lead",
      definition: "Any person who has given us their contact details, by any channel.",
      entryCriteria: [{ kind: "has_fields", fields: ["email"] }],
    },
    mrl: {
      label: "Marketing-ready lead",
      definition:
        "A contactable person who consented to hear from us and for whom we know at least a name and a company.",
      entryCriteria: [
        { kind: "has_fields", fields: ["email", "firstName", "lastName", "company"] },
        { kind: "consent_given" },
      ],
    },
    mql: {
      label: "Marketing-qualified lead",
      definition:
        "Has demonstrated interest through our content (engagement score of 50 or more) and meets the minimum fit of our ideal customer profile (fit grade B or better). A demo request from anyone with fit grade C or better is an MQL at once.",
      entryCriteria: [
        { kind: "engagement_at_least", value: 50 },
        { kind: "fit_grade_at_least", value: "B" },
      ],
    },
    sal: {
      label: "Sales-accepted lead",
      definition:
        "An SDR reviewed the MQL and accepted it: the person is real, reachable and worth a conversation. Accept or reject within 5 business hours.",
      entryCriteria: [],
    },
    sql: {
      label: "Sales-qualified lead",
      definition:
        "The SDR confirmed budget, authority, need and timeframe (BANT) and the motivation to act, and a meeting with an account executive is booked.",
      entryCriteria: [],
    },
    opportunity: {
      label: "Opportunity",
      definition:
        "An account executive accepted the SQL and opened a deal with an amount and a close date.",
      entryCriteria: [],
    },
    customer: {
      label: "Customer",
      definition: "The deal was won and a contract signed.",
      entryCriteria: [],
    },
    recycled: {
      label: "Recycled",
      definition:
        "Not ready to buy now. Kept and nurtured by marketing; returns as an MQL when its interest rebounds.",
      entryCriteria: [],
    },
    disqualified: {
      label: "Disqualified",
      definition:
        "Will never buy from us (wrong fit, fake, competitor or student). Needs a reason.",
      entryCriteria: [],
    },
    lost: {
      label: "Lost",
      definition: "An opportunity that did not close. Needs a loss reason.",
      entryCriteria: [],
    },
  },
  reasons: {
    rejection: [
      { code: "no_budget", label: "No budget this year" },
      { code: "bad_timing", label: "Not buying in the next 6 months" },
      { code: "no_authority", label: "Not a decision maker, no path to one" },
      { code: "no_need", label: "No current need" },
      { code: "unreachable", label: "Could not reach after 6 attempts" },
      { code: "existing_opportunity", label: "Already in an open opportunity" },
    ],
    disqualification: [
      { code: "wrong_fit", label: "Outside our ideal customer profile" },
      { code: "fake_or_spam", label: "Fake or spam contact" },
      { code: "competitor", label: "Works for a competitor" },
      { code: "student_or_job_seeker", label: "Student or job seeker" },
      { code: "duplicate", label: "Duplicate of another lead" },
    ],
    loss: [
      { code: "price", label: "Price" },
      { code: "competitor_won", label: "Chose a competitor" },
      { code: "no_decision", label: "No decision / status quo" },
      { code: "missing_feature", label: "Missing capability" },
      { code: "timing", label: "Project postponed" },
    ],
  },
  qualification: {
    requiredFields: ["budget", "authority", "need", "timeframe", "motivation"],
    requireMeeting: true,
  },
  sla: {
    acceptMqlHours: 5,
    firstTouchHours: 8,
    qualifyOrRecycleHours: 80,
    aeAcceptSqlHours: 16,
    graceHours: 4,
  },
  recycle: { nurtureDays: 90, requalifyOnPricingVisit: true, requalifyOnAuthorityChange: true },
  sourcing: {
    marketingSources: [
      "website",
      "paid_search",
      "paid_social",
      "webinar",
      "content",
      "event",
      "email",
      "organic_search",
    ],
  },
  scoring: {
    fit: {
      rules: [
        {
          id: "industry_core",
          label: "Core industry (software, fintech, healthcare IT)",
          attribute: "industry",
          match: { op: "in", values: ["Software", "Fintech", "Healthcare IT", "SaaS"] },
          points: 25,
        },
        {
          id: "industry_adjacent",
          label: "Adjacent industry (manufacturing, retail, logistics)",
          attribute: "industry",
          match: { op: "in", values: ["Manufacturing", "Retail", "Logistics"] },
          points: 10,
        },
        {
          id: "size_mid",
          label: "200–4,999 employees",
          attribute: "employees",
          match: { op: "range", min: 200, max: 5000 },
          points: 25,
        },
        {
          id: "size_small",
          label: "50–199 employees",
          attribute: "employees",
          match: { op: "range", min: 50, max: 200 },
          points: 10,
        },
        {
          id: "size_enterprise",
          label: "5,000+ employees",
          attribute: "employees",
          match: { op: "range", min: 5000 },
          points: 15,
        },
        {
          id: "revenue_10m",
          label: "Annual revenue of $10M or more",
          attribute: "annualRevenue",
          match: { op: "range", min: 10_000_000 },
          points: 10,
        },
        {
          id: "country_core",
          label: "Core markets (US, CA, GB, DE, FR, NL)",
          attribute: "country",
          match: { op: "in", values: ["US", "CA", "GB", "DE", "FR", "NL"] },
          points: 10,
        },
        {
          id: "seniority_decision",
          label: "Director, VP or C-level",
          attribute: "seniority",
          match: { op: "in", values: ["director", "vp", "c_level"] },
          points: 20,
        },
        {
          id: "seniority_manager",
          label: "Manager",
          attribute: "seniority",
          match: { op: "in", values: ["manager"] },
          points: 10,
        },
        {
          id: "dept_revops",
          label: "Marketing, sales or revenue operations",
          attribute: "department",
          match: { op: "in", values: ["marketing", "sales", "revenue_operations"] },
          points: 10,
        },
        {
          id: "uses_crm",
          label: "Uses a CRM we integrate with",
          attribute: "technologies",
          match: { op: "in", values: ["Salesforce", "HubSpot", "Pipedrive"] },
          points: 5,
        },
        {
          id: "free_mail",
          label: "Free-mail address",
          attribute: "emailDomainType",
          match: { op: "in", values: ["free"] },
          points: -15,
        },
        {
          id: "student_title",
          label: "Student or intern",
          attribute: "title",
          match: { op: "contains", values: ["student", "intern"] },
          points: -30,
        },
      ],
      grades: { A: 75, B: 50, C: 25 },
    },
    engagement: {
      pageGroups: [
        { id: "pricing", label: "Pricing", patterns: ["/pricing", "/pricing/**"] },
        {
          id: "product",
          label: "Product pages",
          patterns: ["/product/**", "/features/**", "/integrations/**"],
        },
        { id: "blog", label: "Blog", patterns: ["/blog/**"] },
        { id: "careers", label: "Careers", patterns: ["/careers", "/careers/**", "/jobs/**"] },
      ],
      signals: [
        {
          id: "demo_request",
          label: "Demo request",
          eventType: "demo_request",
          points: 60,
          halfLifeDays: 30,
          cap: 60,
        },
        {
          id: "pricing_view",
          label: "Pricing page view",
          eventType: "page_view",
          pageGroup: "pricing",
          points: 15,
          halfLifeDays: 14,
          cap: 45,
        },
        {
          id: "product_view",
          label: "Product page view",
          eventType: "page_view",
          pageGroup: "product",
          points: 5,
          halfLifeDays: 14,
          cap: 25,
        },
        {
          id: "blog_view",
          label: "Blog post view",
          eventType: "page_view",
          pageGroup: "blog",
          points: 2,
          halfLifeDays: 7,
          cap: 10,
        },
        {
          id: "careers_view",
          label: "Careers page view",
          eventType: "page_view",
          pageGroup: "careers",
          points: -10,
          halfLifeDays: 60,
          cap: 30,
        },
        {
          id: "page_view",
          label: "Other page view",
          eventType: "page_view",
          points: 1,
          halfLifeDays: 7,
          cap: 10,
        },
        {
          id: "email_click",
          label: "Email click",
          eventType: "email_click",
          points: 5,
          halfLifeDays: 10,
          cap: 20,
        },
        {
          id: "email_open",
          label: "Email open",
          eventType: "email_open",
          points: 1,
          halfLifeDays: 5,
          cap: 5,
        },
        {
          id: "content_download",
          label: "Content download",
          eventType: "content_download",
          points: 15,
          halfLifeDays: 30,
          cap: 45,
        },
        {
          id: "webinar_registered",
          label: "Webinar registration",
          eventType: "webinar_registered",
          points: 10,
          halfLifeDays: 30,
          cap: 20,
        },
        {
          id: "webinar_attended",
          label: "Webinar attended",
          eventType: "webinar_attended",
          points: 20,
          halfLifeDays: 45,
          cap: 40,
        },
        {
          id: "form_submit",
          label: "Form fill",
          eventType: "form_submit",
          points: 10,
          halfLifeDays: 30,
          cap: 30,
        },
        {
          id: "social_engagement",
          label: "Social engagement",
          eventType: "social_engagement",
          points: 3,
          halfLifeDays: 7,
          cap: 9,
        },
        {
          id: "unsubscribe",
          label: "Unsubscribed",
          eventType: "unsubscribe",
          points: -30,
          halfLifeDays: 180,
          cap: 30,
        },
      ],
      competitorDomains: [],
    },
    handRaisers: [{ eventType: "demo_request", minFitGrade: "C", stage: "mql" }],
    eventTypeAliases: {},
  },
  goals: [
    { metric: "mql_volume", period: "month", target: 400 },
    { metric: "sql_volume", period: "month", target: 90 },
    { metric: "customer_volume", period: "quarter", target: 45 },
  ],
};
