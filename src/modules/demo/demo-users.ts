import type { DemoUser } from "./demo.service.ts";

/** One user per role, so anyone trying the demo can see each person's view. */
export const demoUsers: DemoUser[] = [
  {
    role: "admin",
    email: "admin@demo.accord.dev",
    name: "Avery Admin",
    password: "accord-demo-admin",
  },
  {
    role: "marketing",
    email: "maya@demo.accord.dev",
    name: "Maya Marketer",
    password: "accord-demo-marketing",
  },
  {
    role: "marketing_lead",
    email: "lena@demo.accord.dev",
    name: "Lena Lead (Marketing)",
    password: "accord-demo-mlead",
  },
  { role: "sdr", email: "sam@demo.accord.dev", name: "Sam SDR", password: "accord-demo-sdr" },
  { role: "sdr", email: "sofia@demo.accord.dev", name: "Sofia SDR", password: "accord-demo-sdr2" },
  {
    role: "ae",
    email: "alex@demo.accord.dev",
    name: "Alex Account-Exec",
    password: "accord-demo-ae",
  },
  {
    role: "sales_lead",
    email: "sarah@demo.accord.dev",
    name: "Sarah Lead (Sales)",
    password: "accord-demo-slead",
  },
  {
    role: "exec",
    email: "eve@demo.accord.dev",
    name: "Eve Executive",
    password: "accord-demo-exec",
  },
];
