// Answers of the dashboard's account API: who you are, orgs, projects, members, invites and API keys.
import { z } from "zod";
import { KEY_KINDS, ROLES } from "./constants.ts";
import { retention } from "./data.ts";

const role = z.enum(ROLES);

export const user = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  is_admin: z.boolean(),
  created_at: z.number(),
});
export type User = z.infer<typeof user>;

export const projectRef = z.strictObject({ id: z.string(), name: z.string(), created_at: z.number() });

export const orgWithProjects = z.strictObject({
  id: z.string(),
  name: z.string(),
  role,
  projects: z.array(projectRef),
});
export type OrgWithProjects = z.infer<typeof orgWithProjects>;

/** `GET /api/me`. */
export const meAnswer = z.strictObject({ user, orgs: z.array(orgWithProjects) });
export type MeAnswer = z.infer<typeof meAnswer>;
/** `GET /api/auth/session`: the same as /api/me when signed in, null (not a 401) when not. */
export const sessionProbeAnswer = z.strictObject({ me: meAnswer.nullable() });

/** An API key as listed: its prefix, never the key. */
export const apiKey = z.strictObject({
  id: z.string(),
  project_id: z.string(),
  kind: z.enum(KEY_KINDS),
  name: z.string(),
  prefix: z.string(),
  created_at: z.number(),
  last_used_at: z.number().nullable(),
  revoked_at: z.number().nullable(),
});
export type ApiKey = z.infer<typeof apiKey>;

/** A project's first keys, in plaintext: shown once, when the project is created. */
export const newProjectKeys = z.strictObject({ ingest: z.string(), secret: z.string() });

export const keyListAnswer = z.strictObject({ keys: z.array(apiKey) });
/** The new key in plaintext (`key`), shown once. */
export const newKeyAnswer = z.strictObject({ key: apiKey.extend({ key: z.string() }) });
export const keyAnswer = z.strictObject({ key: apiKey });

const newProject = z.strictObject({ id: z.string(), org_id: z.string(), name: z.string() });

/** `POST /api/auth/signup`: the user, their personal org and first project, its keys (shown once), an invite's org. */
export const signupAnswer = z.strictObject({
  user,
  org: z.strictObject({ id: z.string(), name: z.string() }),
  project: newProject,
  keys: newProjectKeys,
  joined: z.strictObject({ org: z.strictObject({ id: z.string(), name: z.string() }), role }).nullable(),
});

export const loginAnswer = z.strictObject({ user });

export const orgListAnswer = z.strictObject({
  orgs: z.array(z.strictObject({ id: z.string(), name: z.string(), role, created_at: z.number() })),
});
export const newOrgAnswer = z.strictObject({ org: z.strictObject({ id: z.string(), name: z.string(), role }) });
export const projectListAnswer = z.strictObject({ projects: z.array(projectRef) });
export const newProjectAnswer = z.strictObject({ project: newProject, keys: newProjectKeys });

/** `GET /api/projects/:project`: the project, your role, and whether events have arrived (the onboarding check). */
export const projectDetail = z.strictObject({
  id: z.string(),
  org_id: z.string(),
  name: z.string(),
  created_at: z.number(),
  role,
  ...retention.shape,
});
export type ProjectDetail = z.infer<typeof projectDetail>;
export const projectAnswer = z.strictObject({
  project: projectDetail,
  has_events: z.boolean(),
  last_trace_at: z.number().nullable(),
});
export type ProjectAnswer = z.infer<typeof projectAnswer>;
/** `PATCH /api/projects/:project`. */
export const projectUpdateAnswer = z.strictObject({ project: projectDetail });

export const member = z.strictObject({
  user_id: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  joined_at: z.number(),
});
export type Member = z.infer<typeof member>;
export const memberListAnswer = z.strictObject({ members: z.array(member) });
export const memberAnswer = z.strictObject({ member: z.strictObject({ user_id: z.string(), role }) });

export const invite = z.strictObject({
  id: z.string(),
  role,
  email: z.string().nullable(),
  created_at: z.number(),
  expires_at: z.number(),
});
export const inviteListAnswer = z.strictObject({ invites: z.array(invite) });
/** A new invite link (the token is shown once). */
export const newInviteAnswer = z.strictObject({
  invite: z.strictObject({
    id: z.string(),
    role,
    email: z.string().nullable(),
    expires_at: z.number(),
    token: z.string(),
    url: z.string(),
  }),
});
/** What an invite link offers (`GET /api/invites/:token`, public: the token is the secret). */
export const inviteOfferAnswer = z.strictObject({
  invite: z.strictObject({ org_name: z.string(), role, expires_at: z.number() }),
});
export const inviteAcceptAnswer = z.strictObject({
  joined: z.strictObject({ org: z.strictObject({ id: z.string(), name: z.string() }), role }),
});

export const okAnswer = z.strictObject({ ok: z.literal(true) });

// Requests of the account API.
const email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
/** OWASP ASVS 2.1.1: at least 12 characters; any characters, but not only spaces. */
const password = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(256)
  .refine((p) => p.trim().length > 0, "must not be only spaces");

export const signupBody = z.object({
  email,
  password,
  name: z.string().trim().min(1).max(100),
  invite_token: z.string().optional(),
});
export const loginBody = z.object({ email, password: z.string().min(1).max(256) });
/** A new org's or project's name. */
export const nameBody = z.object({ name: z.string().trim().min(1).max(100) });
export const roleBody = z.object({ role });
export const inviteBody = z.object({
  role: role.default("member"),
  email: z.email().optional(),
  expires_in_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});
export const newKeyBody = z.object({ kind: z.enum(KEY_KINDS), name: z.string().trim().max(100).default("") });
