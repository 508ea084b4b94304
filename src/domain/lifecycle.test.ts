import { describe, expect, it } from "vitest";
import type { AgreementDocument } from "./agreement.ts";
import { defaultAgreement } from "./default-agreement.ts";
import {
  type Actor,
  allowedMoves,
  bantFields,
  type MoveRequest,
  type MoveResult,
  move,
  type Qualification,
  type Stage,
  stages,
} from "./lifecycle.ts";
import { type Role, roleMayMove } from "./roles.ts";

const now = new Date("2026-03-04T09:30:00.000Z");
const sdr: Actor = { type: "user", id: "11111111-1111-4111-8111-111111111111" };
const agreement = { version: 7, document: defaultAgreement };

const fullBant: Qualification = {
  budget: "$50k approved",
  authority: "VP Sales signs",
  need: "lead routing is manual",
  timeframe: "this quarter",
  motivation: "missed SLAs",
  meetingAt: "2026-03-10T15:00:00Z",
};

type Needs = "nothing" | "rejection reason" | "disqualification reason" | "loss reason" | "BANT(M)";

/**
 * The lifecycle of DESIGN.md written out by hand: every allowed move and what it needs under the
 * default agreement. Anything not listed here must be refused.
 */
const lifecycle: [Stage, Stage, Needs][] = [
  ["lead", "mrl", "nothing"],
  ["lead", "mql", "nothing"],
  ["lead", "disqualified", "disqualification reason"],
  ["mrl", "mql", "nothing"],
  ["mrl", "recycled", "rejection reason"],
  ["mrl", "disqualified", "disqualification reason"],
  ["mql", "sal", "nothing"],
  ["mql", "recycled", "rejection reason"],
  ["mql", "disqualified", "disqualification reason"],
  ["sal", "sql", "BANT(M)"],
  ["sal", "recycled", "rejection reason"],
  ["sal", "disqualified", "disqualification reason"],
  ["sql", "opportunity", "nothing"],
  ["sql", "recycled", "rejection reason"],
  ["sql", "disqualified", "disqualification reason"],
  ["opportunity", "customer", "nothing"],
  ["opportunity", "lost", "loss reason"],
  ["recycled", "mql", "nothing"],
  ["recycled", "disqualified", "disqualification reason"],
  ["lost", "recycled", "rejection reason"],
];

const reasonFor: Record<Needs, string | undefined> = {
  nothing: undefined,
  "BANT(M)": undefined,
  "rejection reason": "no_budget",
  "disqualification reason": "wrong_fit",
  "loss reason": "price",
};

const isAllowed = (from: Stage, to: Stage) => lifecycle.some(([f, t]) => f === from && t === to);

const refusedPairs: [Stage, Stage][] = stages.flatMap((from) =>
  stages
    .filter((to) => to !== from && !isAllowed(from, to))
    .map((to): [Stage, Stage] => [from, to]),
);

const reasonedMoves = lifecycle.filter(([, , needs]) => needs.endsWith("reason"));

function attempt(
  from: Stage,
  request: Partial<MoveRequest> & { to: Stage },
  options: { qualification?: Qualification; document?: AgreementDocument } = {},
): MoveResult {
  return move(
    { stage: from, qualification: options.qualification ?? {} },
    { actor: sdr, ...request },
    { version: agreement.version, document: options.document ?? defaultAgreement },
    now,
  );
}

function refusal(result: MoveResult) {
  if (result.ok) throw new Error(`expected a refusal, got a move to ${result.stage}`);
  return result;
}

describe("the lifecycle table", () => {
  it("lists exactly the moves allowedMoves allows", () => {
    const fromCode = Object.entries(allowedMoves)
      .flatMap(([from, tos]) => tos.map((to) => `${from}→${to}`))
      .sort();
    expect(fromCode).toEqual(lifecycle.map(([from, to]) => `${from}→${to}`).sort());
  });

  it("covers every ordered pair of stages as either allowed, refused or same-stage", () => {
    expect(lifecycle.length + refusedPairs.length + stages.length).toBe(
      stages.length * stages.length,
    );
  });
});

describe("move(): every allowed move", () => {
  it.each(lifecycle)(
    "%s → %s is allowed (needs %s) and records the transition",
    (from, to, needs) => {
      const reason = reasonFor[needs];
      const result = attempt(
        from,
        { to, reason, note: "called on Tuesday" },
        { qualification: needs === "BANT(M)" ? fullBant : {} },
      );
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) return;
      expect(result.stage).toBe(to);
      expect(result.transition).toEqual({
        fromStage: from,
        toStage: to,
        occurredAt: now,
        actorType: "user",
        actorId: sdr.id,
        rule: null,
        reason: reason ?? null,
        note: "called on Tuesday",
        agreementVersion: 7,
      });
    },
  );

  it("records the rule that made a move, and a blank note as null", () => {
    const result = attempt("lead", {
      to: "mql",
      actor: { type: "rule", id: null },
      rule: "criteria:mql",
      note: "   ",
    });
    expect(result.ok && result.transition).toMatchObject({
      actorType: "rule",
      actorId: null,
      rule: "criteria:mql",
      note: null,
      reason: null,
    });
  });

  it("trims the reason and the note it records", () => {
    const result = attempt("mql", { to: "recycled", reason: "  bad_timing ", note: " later " });
    expect(result.ok && result.transition).toMatchObject({ reason: "bad_timing", note: "later" });
  });

  it("keeps the occurredAt the caller passed: the domain never reads the clock", () => {
    const result = attempt("lead", { to: "mrl" });
    expect(result.ok && result.transition.occurredAt).toBe(now);
  });
});

describe("move(): every refused move", () => {
  it.each(refusedPairs)("%s → %s fails with TRANSITION_NOT_ALLOWED", (from, to) => {
    const result = refusal(attempt(from, { to, reason: "no_budget" }, { qualification: fullBant }));
    expect(result.code).toBe("TRANSITION_NOT_ALLOWED");
    expect(result.field).toBe("to");
    expect(result.message).toContain(`A lead in ${from}`);
  });

  it.each(stages.map((s) => [s]))("%s → itself fails with SAME_STAGE", (stage) => {
    const result = refusal(attempt(stage, { to: stage, reason: "no_budget" }));
    expect(result.code).toBe("SAME_STAGE");
    expect(result.field).toBe("to");
  });

  it.each(stages.filter((s) => s !== "opportunity" && s !== "customer").map((s) => [s]))(
    "a lead reaches customer only from opportunity: %s → customer is refused",
    (from) => {
      expect(refusal(attempt(from, { to: "customer" })).code).toBe("TRANSITION_NOT_ALLOWED");
    },
  );

  it("customer and disqualified are final: every move out of them is refused", () => {
    for (const from of ["customer", "disqualified"] as const) {
      for (const to of stages.filter((s) => s !== from)) {
        const result = refusal(attempt(from, { to, reason: "wrong_fit" }));
        expect(result.code).toBe("TRANSITION_NOT_ALLOWED");
        expect(result.message).toContain("cannot move any further");
      }
    }
  });
});

describe("move(): reasons", () => {
  it.each(reasonedMoves)("%s → %s without a reason fails with REASON_REQUIRED", (from, to) => {
    const result = refusal(attempt(from, { to }));
    expect(result.code).toBe("REASON_REQUIRED");
    expect(result.field).toBe("reason");
  });

  it.each(reasonedMoves)("%s → %s with a blank reason fails with REASON_REQUIRED", (from, to) => {
    expect(refusal(attempt(from, { to, reason: "   " })).code).toBe("REASON_REQUIRED");
  });

  it.each(reasonedMoves)(
    "%s → %s with a reason outside the agreement fails with REASON_NOT_IN_AGREEMENT",
    (from, to) => {
      const result = refusal(attempt(from, { to, reason: "because" }));
      expect(result.code).toBe("REASON_NOT_IN_AGREEMENT");
      expect(result.field).toBe("reason");
      expect(result.message).toContain("because");
    },
  );

  it.each(["no_budget", "bad_timing", "wrong_fit", "fake_or_spam", "competitor"])(
    "rejecting an MQL by disqualifying it may cite a rejection or disqualification reason: %s",
    (reason) => {
      const result = attempt("mql", { to: "disqualified", reason });
      expect(result.ok && result.transition.reason).toBe(reason);
    },
  );

  it.each([
    ["mql", "no_budget", true],
    ["mql", "unreachable", true],
    ["mql", "wrong_fit", false],
    ["mql", "price", false],
    ["sal", "no_need", true],
    ["sal", "duplicate", false],
  ] as const)(
    "recycling a rejected %s cites a rejection reason: %s allowed=%s",
    (from, reason, ok) => {
      const result = attempt(from, { to: "recycled", reason });
      if (ok) expect(result.ok).toBe(true);
      else expect(refusal(result).code).toBe("REASON_NOT_IN_AGREEMENT");
    },
  );

  it.each(["no_budget", "wrong_fit", "because"])(
    "losing an opportunity cites only a loss reason: %s is refused",
    (reason) => {
      expect(refusal(attempt("opportunity", { to: "lost", reason })).code).toBe(
        "REASON_NOT_IN_AGREEMENT",
      );
    },
  );

  it.each(defaultAgreement.reasons.loss.map((r) => [r.code]))(
    "losing an opportunity with the loss reason %s succeeds",
    (reason) => {
      const result = attempt("opportunity", { to: "lost", reason });
      expect(result.ok && result.transition.reason).toBe(reason);
    },
  );

  it.each(["no_budget", "bad_timing"])(
    "disqualifying a raw lead (not a rejection) cites only a disqualification reason: %s is refused",
    (reason) => {
      expect(refusal(attempt("lead", { to: "disqualified", reason })).code).toBe(
        "REASON_NOT_IN_AGREEMENT",
      );
    },
  );

  it("reasons come from the agreement in force, not a fixed list", () => {
    const document: AgreementDocument = {
      ...defaultAgreement,
      reasons: {
        ...defaultAgreement.reasons,
        rejection: [{ code: "not_now", label: "Not now" }],
      },
    };
    expect(attempt("mql", { to: "recycled", reason: "not_now" }, { document }).ok).toBe(true);
    expect(
      refusal(attempt("mql", { to: "recycled", reason: "no_budget" }, { document })).code,
    ).toBe("REASON_NOT_IN_AGREEMENT");
  });
});

describe("move(): qualification before sql", () => {
  it.each(bantFields.map((f) => [f]))(
    "sql without %s fails with QUALIFICATION_INCOMPLETE naming it",
    (field) => {
      const { [field]: _missing, ...rest } = fullBant;
      const result = refusal(attempt("sal", { to: "sql" }, { qualification: rest }));
      expect(result.code).toBe("QUALIFICATION_INCOMPLETE");
      expect(result.field).toBe(`qualification.${field}`);
      expect(result.message).toContain(field);
    },
  );

  it.each(bantFields.map((f) => [f]))("a blank %s counts as missing", (field) => {
    const result = refusal(
      attempt("sal", { to: "sql" }, { qualification: { ...fullBant, [field]: "  " } }),
    );
    expect(result.code).toBe("QUALIFICATION_INCOMPLETE");
    expect(result.field).toBe(`qualification.${field}`);
  });

  it("sql with every BANT(M) field but no meeting fails with MEETING_REQUIRED", () => {
    const { meetingAt: _none, ...noMeeting } = fullBant;
    const result = refusal(attempt("sal", { to: "sql" }, { qualification: noMeeting }));
    expect(result.code).toBe("MEETING_REQUIRED");
    expect(result.field).toBe("qualification.meetingAt");
  });

  it("sql with nothing captured names every missing field and the meeting", () => {
    const result = refusal(attempt("sal", { to: "sql" }));
    expect(result.code).toBe("QUALIFICATION_INCOMPLETE");
    for (const field of [...bantFields, "meetingAt"]) expect(result.message).toContain(field);
  });

  it("answers given with the move are merged over the saved ones", () => {
    const { meetingAt, budget, ...saved } = fullBant;
    const result = attempt(
      "sal",
      { to: "sql", qualification: { budget, meetingAt } },
      { qualification: saved },
    );
    expect(result.ok && result.qualification).toEqual(fullBant);
  });

  it("an empty answer given with the move does not erase a saved one", () => {
    const result = attempt(
      "sal",
      { to: "sql", qualification: { budget: "", need: "  " } },
      { qualification: fullBant },
    );
    expect(result.ok && result.qualification).toEqual(fullBant);
  });

  it("succeeds when the agreement requires fewer fields and no meeting", () => {
    const document: AgreementDocument = {
      ...defaultAgreement,
      qualification: { requiredFields: ["budget", "need"], requireMeeting: false },
    };
    const result = attempt(
      "sal",
      { to: "sql" },
      { document, qualification: { budget: "yes", need: "yes" } },
    );
    expect(result.ok && result.stage).toBe("sql");
    const without = refusal(attempt("sal", { to: "sql" }, { document, qualification: {} }));
    expect(without.code).toBe("QUALIFICATION_INCOMPLETE");
    expect(without.message).not.toContain("authority");
  });

  it("succeeds with nothing captured when the agreement requires nothing", () => {
    const document: AgreementDocument = {
      ...defaultAgreement,
      qualification: { requiredFields: [], requireMeeting: false },
    };
    expect(attempt("sal", { to: "sql" }, { document }).ok).toBe(true);
  });

  it("a meeting alone suffices when the agreement requires only a meeting", () => {
    const document: AgreementDocument = {
      ...defaultAgreement,
      qualification: { requiredFields: [], requireMeeting: true },
    };
    expect(refusal(attempt("sal", { to: "sql" }, { document })).code).toBe("MEETING_REQUIRED");
    const ok = attempt(
      "sal",
      { to: "sql", qualification: { meetingAt: fullBant.meetingAt } },
      { document },
    );
    expect(ok.ok).toBe(true);
  });

  it("qualification is not checked for moves other than into sql", () => {
    expect(attempt("sql", { to: "opportunity" }).ok).toBe(true);
  });
});

describe("move(): recycling", () => {
  it("a recycled lead can return to mql without a reason", () => {
    const result = attempt("recycled", { to: "mql" });
    expect(result.ok && result.transition).toMatchObject({ fromStage: "recycled", toStage: "mql" });
  });

  it("a recycled lead cannot skip back to sal or sql", () => {
    expect(refusal(attempt("recycled", { to: "sal" })).code).toBe("TRANSITION_NOT_ALLOWED");
    expect(refusal(attempt("recycled", { to: "sql" }, { qualification: fullBant })).code).toBe(
      "TRANSITION_NOT_ALLOWED",
    );
  });

  it("a lost opportunity can be recycled for nurture with a reason", () => {
    expect(attempt("lost", { to: "recycled", reason: "bad_timing" }).ok).toBe(true);
    expect(refusal(attempt("lost", { to: "recycled" })).code).toBe("REASON_REQUIRED");
  });
});

describe("roleMayMove", () => {
  const salesMoves = lifecycle.filter(
    ([from, to]) =>
      ["sal", "sql", "opportunity", "customer", "lost"].includes(to) ||
      (["mql", "sal", "sql"].includes(from) && ["recycled", "disqualified"].includes(to)),
  );
  const marketingMoves = lifecycle.filter((m) => !salesMoves.includes(m));

  it.each(lifecycle)("an executive may never move a lead: %s → %s", (from, to) => {
    expect(roleMayMove("exec", from, to)).toBe(false);
  });

  it.each<[Role, Stage, Stage]>([
    ["marketing", "lead", "mrl"],
    ["marketing", "mrl", "mql"],
    ["marketing", "lead", "mql"],
    ["marketing", "recycled", "mql"],
    ["marketing_lead", "lead", "mrl"],
    ["marketing_lead", "mrl", "mql"],
  ])("%s may move a lead %s → %s", (role, from, to) => {
    expect(roleMayMove(role, from, to)).toBe(true);
  });

  it.each<[Role, Stage, Stage]>([
    ["marketing", "mql", "sal"],
    ["marketing", "mql", "recycled"],
    ["marketing", "mql", "disqualified"],
    ["marketing", "sal", "sql"],
    ["marketing", "sal", "recycled"],
    ["marketing", "sql", "disqualified"],
    ["marketing", "opportunity", "customer"],
    ["marketing", "opportunity", "lost"],
    ["marketing_lead", "mql", "sal"],
    ["marketing_lead", "mql", "recycled"],
  ])("%s may not accept, reject, qualify or close: %s → %s", (role, from, to) => {
    expect(roleMayMove(role, from, to)).toBe(false);
  });

  it.each(
    (["sdr", "ae", "sales_lead"] as const).flatMap((role) =>
      lifecycle.map(([from, to]) => [role, from, to] as const),
    ),
  )("%s may make every lifecycle move: %s → %s", (role, from, to) => {
    expect(roleMayMove(role, from, to)).toBe(true);
  });

  it("the sales-only moves are exactly accepting, qualifying, rejecting and closing", () => {
    expect(salesMoves.map(([f, t]) => `${f}→${t}`)).toEqual([
      "mql→sal",
      "mql→recycled",
      "mql→disqualified",
      "sal→sql",
      "sal→recycled",
      "sal→disqualified",
      "sql→opportunity",
      "sql→recycled",
      "sql→disqualified",
      "opportunity→customer",
      "opportunity→lost",
    ]);
    for (const [from, to] of marketingMoves) expect(roleMayMove("marketing", from, to)).toBe(true);
    for (const [from, to] of salesMoves) expect(roleMayMove("marketing", from, to)).toBe(false);
  });
});
