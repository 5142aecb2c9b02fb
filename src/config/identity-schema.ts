import { z } from "zod";
import { email, name, personName, username } from "./fields.ts";
import { plainSettings } from "./record-fields.ts";

export const identityGroupSchema = z
  .strictObject({
    name: name.describe("Group name in Authentik."),
    superuser: z.boolean().optional().describe("Members are Authentik superusers."),
    parents: z
      .array(name)
      .optional()
      .describe("Groups this group inherits from (declared in identity.groups)."),
    attributes: plainSettings.optional().describe("Authentik group attributes (not secret)."),
  })
  .describe("An Authentik group.");

export const identityUserSchema = z
  .strictObject({
    username: username.describe("Login name."),
    name: personName.describe("Display name."),
    email: email.optional().describe("Email address."),
    groups: z.array(name).optional().describe("Groups the user belongs to."),
    active: z.boolean().default(true).describe("Inactive users cannot log in."),
    type: z.enum(["internal", "external", "service_account"]).optional().describe("Authentik user type."),
  })
  .describe("An Authentik user. Passwords are never set from the config: users enrol or reset their own.");

export const identitySchema = z
  .strictObject({
    groups: z.array(identityGroupSchema).default([]).describe("Groups to manage."),
    users: z.array(identityUserSchema).default([]).describe("Users to manage."),
  })
  .describe("Users and groups in Authentik.");
