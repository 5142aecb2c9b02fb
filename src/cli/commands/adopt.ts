import type { Command } from "commander";
import { readByKey } from "../../engine/execute.ts";
import { connectProviders } from "../../engine/observe.ts";
import { refId } from "../../engine/resource.ts";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { digestOf } from "../../observability/audit/canonical-json.ts";
import type { CommandRunner } from "../command-runner.ts";
import { ExitCode } from "../exit-codes.ts";
import { parseObjectRef } from "../object-ref.ts";

/**
 * `autopilot adopt KIND/KEY`: take over an object someone created by hand. From then on
 * Autopilot manages it like its own — including deleting it when it leaves the config.
 */
export function registerAdoptCommand(program: Command, runner: CommandRunner): void {
  program
    .command("adopt <object>")
    .description("take ownership of an existing object (Autopilot then manages, and may delete, it)")
    .action(
      runner.action("adopt", async (context, _options, [text = ""]) => {
        const { openLab } = await import("../lab.ts");
        const lab = await openLab(context);
        try {
          const ref = parseObjectRef(text, lab.reconcile.providers);
          const id = refId(ref);
          const provider = lab.reconcile.providers.find((p) => p.target === ref.target);
          const kind = provider?.kinds.find((k) => k.kind === ref.kind);
          if (!provider || !kind) throw new AutopilotError("invalid", `no kind ${ref.target}/${ref.kind}`);
          const connected = await connectProviders([provider]);
          const failure = connected.unavailable.get(ref.target);
          if (failure) throw failure;
          const object = await readByKey(kind, connected.sessions.get(ref.target), ref.key);
          if (object === undefined) {
            throw new AutopilotError(
              "not-found",
              `${id} does not exist in ${ref.target}; there is nothing to adopt`,
              {
                hint: "check the key with `autopilot plan` (it shows the ids Autopilot uses)",
              },
            );
          }
          const state = lab.reconcile.state;
          const existing = await state.getOwnership(ref);
          if (!existing) {
            await state.recordOwnership({
              ...ref,
              externalId: kind.idOf?.(object) ?? ref.key,
              origin: "adopted",
            });
            await lab.reconcile.audit.append({
              actor: context.actor,
              action: "adopt",
              target: ref.target,
              objectKey: `${ref.kind}/${ref.key}`,
              beforeDigest: digestOf(object),
              outcome: "success",
            });
          }
          context.output.result({ adopted: id, alreadyOwned: Boolean(existing) }, () =>
            existing
              ? `${id} is already managed by Autopilot (${existing.origin} ${existing.since})`
              : `${context.output.color.green("✓")} ${id} adopted; \`autopilot plan\` now shows how it differs from the config`,
          );
          return ExitCode.ok;
        } finally {
          await lab.close();
        }
      }),
    );
}
