// Uses the TypeScript types that openapi-typescript generates from openapi/openapi.json the way
// an application would; run.sh type-checks it (tsc --noEmit), so CI fails when a change to the
// document makes ordinary code stop compiling (free-form objects typed as Record<string, never>
// did: `custom: {plan: "gold"}` was an error).
import type { components, paths } from "./roster";

type Schemas = components["schemas"];

// A new organization with application data in `custom`.
const create: Schemas["CreateOrganization"] = {
  name: "acme-inc",
  custom: { plan: "gold", seats: 12, flags: { beta: true } },
  address: { country: "CH", city: "Zürich" },
  limits: { max_members: 50 },
};

// A merge patch: part of the address, a key of `custom` removed, a limit cleared.
const patch: Schemas["UpdateOrganization"] = {
  address: { line1: "Bahnhofstrasse 1", postal_code: "8001" },
  custom: { plan: "platinum", trial: null },
  limits: { max_api_keys: null },
};

// The body of the PATCH operation is that patch.
type PatchBody =
  paths["/v1/organizations/{org}"]["patch"]["requestBody"]["content"]["application/merge-patch+json"];
const body: PatchBody = patch;

// What an organization answers with, read back.
function plan(org: Schemas["Organization"]): string | undefined {
  const value = org.custom["plan"];
  return typeof value === "string" ? value : undefined;
}

// What an event says changed.
function changes(event: Schemas["Event"]): unknown {
  return event.data["changes"];
}

// The keys a service verifies access tokens with.
function kids(jwks: Schemas["Jwks"]): string[] {
  return jwks.keys.map((key) => key.kid);
}

export { body, changes, create, kids, plan };
