import { dirname, resolve } from "node:path";
import { ConfigError } from "./config-error.ts";
import { readConfigText } from "./config-file.ts";
import {
  type ConfigIssue,
  compareIssues,
  composeMessage,
  dedupeIssues,
  type PendingIssue,
} from "./config-issue.ts";
import { applyEnvironment, environmentNames } from "./overlay.ts";
import { resolveConfigPath } from "./resolve-path.ts";
import { type HomelabConfig, homelabSchema } from "./schema.ts";
import { defaultAgeIdentity } from "./secrets-schema.ts";
import { checkSemantics } from "./semantic.ts";
import { locate, type SourceMap, type SourceNode, toPlain } from "./source-tree.ts";
import { readYamlSource } from "./yaml-source.ts";
import { ZodIssueTranslator } from "./zod-issues.ts";

export interface LoadOptions {
  /** Merge `environments[name]` over the base before validating. */
  environment?: string;
  /** Check files the config points at (dashboards). On by default. */
  checkFiles?: boolean;
  /** Where environment-dependent defaults come from (AUTOPILOT_AGE_IDENTITY); process.env by default. */
  env?: NodeJS.ProcessEnv;
}

export interface LoadedConfig {
  config: HomelabConfig;
  /** Absolute path of the config file. */
  file: string;
  /** Its directory: relative paths in the config are relative to it. */
  dir: string;
  environment?: string;
  warnings: ConfigIssue[];
  /** A path from the config, resolved against `dir`, with `~` expanded. */
  resolvePath(path: string): string;
}

export interface ConfigValidation {
  /** Environments defined in the file (each validated by validateAllEnvironments). */
  environments: string[];
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

interface Outcome extends ConfigValidation {
  config?: HomelabConfig;
}

function toIssue(
  pending: PendingIssue,
  file: string,
  root: SourceNode | undefined,
  environment?: string,
): ConfigIssue {
  const at = pending.at ?? (root ? locate(root, pending.path, pending.target).at : { line: 1, column: 1 });
  const issue: ConfigIssue = {
    file,
    line: at.line,
    column: at.column,
    path: pending.path,
    rule: pending.rule,
    message: composeMessage(pending.path, pending.predicate),
    severity: pending.severity ?? "error",
  };
  if (pending.hint !== undefined) issue.hint = pending.hint;
  if (environment !== undefined) issue.environment = environment;
  return issue;
}

function finish(issues: ConfigIssue[]): ConfigIssue[] {
  return dedupeIssues(issues).sort(compareIssues);
}

function validateText(text: string, file: string, options: LoadOptions): Outcome {
  const source = readYamlSource(text.startsWith("\uFEFF") ? text.slice(1) : text);
  if (source.root === undefined) {
    return {
      environments: [],
      errors: finish(source.issues.map((issue) => toIssue(issue, file, undefined))),
      warnings: [],
    };
  }
  const baseRoot = source.root as SourceMap;
  const environments = environmentNames(baseRoot);
  const environment = options.environment;
  const located = (issues: PendingIssue[], root: SourceNode) =>
    issues.map((issue) => toIssue(issue, file, root, environment));

  let root = baseRoot;
  if (environment !== undefined) {
    const selection = applyEnvironment(baseRoot, environment);
    if (selection.issue)
      return { environments, errors: [toIssue(selection.issue, file, baseRoot)], warnings: [] };
    root = selection.root as SourceMap;
  }
  const input = toPlain(root);
  const parsed = homelabSchema.safeParse(input);
  if (!parsed.success) {
    const pending = new ZodIssueTranslator(homelabSchema, input).translate(parsed.error.issues);
    return { environments, errors: finish(located(pending, root)), warnings: [] };
  }
  const dir = dirname(resolve(file));
  const issues = located(
    checkSemantics(parsed.data, {
      root,
      resolvePath: (path) => resolveConfigPath(dir, path),
      checkFiles: options.checkFiles ?? true,
    }),
    root,
  );
  return {
    environments,
    config: parsed.data,
    errors: finish(issues.filter((issue) => issue.severity === "error")),
    warnings: finish(issues.filter((issue) => issue.severity === "warning")),
  };
}

/**
 * Parses and validates config text. Pure apart from reading the dashboard files it names
 * (`checkFiles: false` skips that). Secret references are kept as written: they are resolved
 * lazily, by whoever needs the value. Throws ConfigError listing every problem.
 */
export function parseConfig(text: string, file: string, options: LoadOptions = {}): LoadedConfig {
  const outcome = validateText(text, file, options);
  if (outcome.errors.length > 0 || outcome.config === undefined) throw new ConfigError(outcome.errors);
  const absolute = resolve(file);
  const dir = dirname(absolute);
  const config = outcome.config;
  // Filled here rather than in the schema so the caller's environment (not the module's) decides.
  config.secrets.identity ??= defaultAgeIdentity(options.env ?? process.env);
  const loaded: LoadedConfig = {
    config,
    file: absolute,
    dir,
    warnings: outcome.warnings,
    resolvePath: (path) => resolveConfigPath(dir, path),
  };
  if (options.environment !== undefined) loaded.environment = options.environment;
  return loaded;
}

export { readConfigText } from "./config-file.ts";

/** Reads, parses and validates a config file (see parseConfig). */
export async function loadConfig(file: string, options: LoadOptions = {}): Promise<LoadedConfig> {
  return parseConfig(await readConfigText(file), file, options);
}

/**
 * Validates the base and every environment merged over it, as `autopilot validate` does, and
 * returns every problem once (a base problem is not repeated per environment).
 */
export function validateAllEnvironments(
  text: string,
  file: string,
  options: Omit<LoadOptions, "environment"> = {},
): ConfigValidation {
  const base = validateText(text, file, options);
  const errors = [...base.errors];
  const warnings = [...base.warnings];
  for (const environment of base.environments) {
    const outcome = validateText(text, file, { ...options, environment });
    errors.push(...outcome.errors);
    warnings.push(...outcome.warnings);
  }
  return { environments: base.environments, errors: finish(errors), warnings: finish(warnings) };
}
