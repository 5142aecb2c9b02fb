import type { Command } from "commander";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { generateSecretValue } from "../../secrets/generate.ts";
import { redactor } from "../../secrets/redactor.ts";
import { findSecretReferences } from "../../secrets/reference.ts";
import { assertSecretName, assertSecretValue } from "../../secrets/secret-store.ts";
import { type CommandContext, identityOf } from "../command-context.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";
import { readSecretInput } from "../read-secret-input.ts";

/** `autopilot secrets init|set|get|list|rotate`: the secret store behind ${secret:NAME}. */
export function registerSecretsCommands(program: Command, runner: CommandRunner): void {
  const secrets = program.command("secrets").description("manage the encrypted secret store");

  secrets
    .command("init")
    .description("create the age identity (mode 0600) and an empty encrypted store; never overwrites")
    .action(
      runner.action("secrets.init", async (context) => {
        const { initAgeStore } = await import("../../secrets/age-store.ts");
        const { config, resolvePath } = await context.config();
        if (config.secrets.store === "vault") {
          const store = await context.secretStore();
          const listed = await store.list();
          context.output.result(
            { store: "vault", location: store.location, reachable: true, secrets: listed.length },
            () =>
              `the store is Vault (${store.location}); nothing to create. ${listed.length} secret(s) there.`,
          );
          return ExitCode.ok;
        }
        const storePath = resolvePath(config.secrets.file);
        const identityPath = resolvePath(identityOf(config));
        const result = await initAgeStore({ storePath, identityPath });
        await (await context.audit()).append({
          actor: context.actor,
          action: "secret.init",
          target: "secrets",
          objectKey: `store/${storePath}`,
          outcome: "success",
          details: { identityCreated: result.created, storeCreated: result.storeCreated },
        });
        const c = context.output.color;
        context.output.result({ store: storePath, identity: identityPath, ...result }, () =>
          [
            `${c.green("✓")} store    ${storePath}${result.storeCreated ? " (created)" : " (already there)"}`,
            `${c.green("✓")} identity ${identityPath}${result.created ? " (created, mode 0600)" : " (already there)"}`,
            `  recipient ${result.recipient}`,
            c.dim(
              "Keep the identity file safe and out of version control: without it the store cannot be read.",
            ),
          ].join("\n"),
        );
        return ExitCode.ok;
      }),
    );

  secrets
    .command("set <name>")
    .description("store a secret read from stdin or a hidden prompt (never from the command line)")
    .option("--generate [length]", "store a random value instead (letters and digits, default 48)")
    .allowExcessArguments(false)
    .action(
      runner.action<{ generate?: string | boolean }>("secrets.set", async (context, options, [name = ""]) => {
        assertSecretName(name);
        const value = options.generate
          ? generateSecretValue(generatedLength(options.generate))
          : await readSecretInput(context.io, name);
        assertSecretValue(name, value);
        redactor.register(value);
        const store = await context.secretStore();
        await writeAudited(context, name, "secret.write", () => store.set(name, value));
        context.output.result(
          { name, stored: true, generated: Boolean(options.generate), store: store.whereIs(name) },
          () =>
            `${context.output.color.green("✓")} ${name} stored in ${store.whereIs(name)}${options.generate ? " (generated)" : ""}`,
        );
        return ExitCode.ok;
      }),
    );

  secrets
    .command("get <name>")
    .description("print a secret's value; requires --reveal")
    .option("--reveal", "yes, print the value on stdout")
    .action(
      runner.action<{ reveal?: boolean }>("secrets.get", async (context, options, [name = ""]) => {
        assertSecretName(name);
        if (!options.reveal) {
          throw new AutopilotError("invalid", `refusing to print ${name} without --reveal`, {
            hint: "add --reveal if you really want the value on your terminal (it is audited)",
          });
        }
        const store = await context.secretStore();
        const value = await store.get(name);
        await (await context.audit()).append({
          actor: context.actor,
          action: "secret.reveal",
          target: "secrets",
          objectKey: `secret/${name}`,
          outcome: value === undefined ? "failure" : "success",
        });
        if (value === undefined) {
          throw new AutopilotError("secret", `secret ${name} is not in ${store.location}`, {
            hint: `add it with \`autopilot secrets set ${name}\``,
          });
        }
        // The one place a secret is printed on purpose: straight to stdout, past the redactor.
        if (context.output.format === "json") context.io.stdout.write(`${JSON.stringify({ name, value })}\n`);
        else context.io.stdout.write(`${value}\n`);
        return ExitCode.ok;
      }),
    );

  secrets
    .command("list")
    .description("list secret names (never values) and which ones the config needs but lacks")
    .action(
      runner.action("secrets.list", async (context) => {
        const store = await context.secretStore();
        const listed = await store.list();
        const { config } = await context.config();
        const have = new Set(listed.map((entry) => entry.name));
        const needed = [
          ...new Set(
            findSecretReferences(config)
              .filter((found) => found.reference.kind === "secret")
              .map((found) => (found.reference.kind === "secret" ? found.reference.name : "")),
          ),
        ].sort();
        const missing = needed.filter((name) => !have.has(name));
        const c = context.output.color;
        context.output.result({ store: store.location, secrets: listed, missing }, () =>
          [
            `${store.location}: ${listed.length} secret(s)`,
            ...listed.map(
              (entry) => `  ${entry.name}${entry.updatedAt ? c.dim(`  updated ${entry.updatedAt}`) : ""}`,
            ),
            ...(missing.length
              ? [
                  c.yellow(`missing (referenced by the config): ${missing.join(", ")}`),
                  c.dim("add each with `autopilot secrets set NAME`"),
                ]
              : []),
          ].join("\n"),
        );
        return ExitCode.ok;
      }),
    );

  secrets
    .command("rotate <name>")
    .description("replace a generated secret with a new random value; the next apply pushes it to its target")
    .option("--length <n>", "characters of the new value", "48")
    .action(
      runner.action<{ length: string }>("secrets.rotate", async (context, options, [name = ""]) => {
        assertSecretName(name);
        const store = await context.secretStore();
        if ((await store.get(name)) === undefined) {
          throw new AutopilotError(
            "secret",
            `secret ${name} is not in ${store.location}; there is nothing to rotate`,
            {
              hint: `create it with \`autopilot secrets set ${name} --generate\``,
            },
          );
        }
        const value = generateSecretValue(generatedLength(options.length));
        await writeAudited(context, name, "secret.rotate", () => store.set(name, value));
        context.output.result(
          { name, rotated: true },
          () =>
            `${context.output.color.green("✓")} ${name} rotated; run \`autopilot apply\` to push it to its target`,
        );
        return ExitCode.ok;
      }),
    );
}

function generatedLength(option: string | boolean): number {
  const length = option === true ? 48 : Number(option);
  if (!Number.isInteger(length) || length < 16 || length > 4096) {
    throw new AutopilotError("invalid", "the generated length must be a whole number from 16 to 4096");
  }
  return length;
}

async function writeAudited(
  context: CommandContext,
  name: string,
  action: string,
  write: () => Promise<void>,
): Promise<void> {
  const audit = await context.audit();
  try {
    await write();
  } catch (error) {
    await audit.append({
      actor: context.actor,
      action,
      target: "secrets",
      objectKey: `secret/${name}`,
      outcome: "failure",
    });
    throw error;
  }
  await audit.append({
    actor: context.actor,
    action,
    target: "secrets",
    objectKey: `secret/${name}`,
    outcome: "success",
  });
}
