import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCensusReturns } from '../census/create-census-returns.js';
import { systemClock } from '../ports/clock.js';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { isAppError } from '../errors/app-error.js';
import { checkForms, loadForms } from '../forms/load-forms.js';
import { generateFormTypes } from '../forms/generate-types.js';
import { createAdminCommands } from '../admin/admin-commands.js';
import { migrate } from '../store/migrate.js';
import { checkWorkflows, formatWorkflowProblems } from '../workflow/load-workflows.js';
import { writeWorkflowTypes } from '../workflow/generate-workflow-types.js';
import { openDatabase } from '../store/open-database.js';
import { adminSocketPath, runFormwork } from '../main.js';
import { callAdminSocket } from '../admin/admin-socket.js';

const usage = `Usage: formwork <command>

Commands:
  start                         run the web server and the workers (what npm start does)
  web                           run the web server only
  worker                        run the workers only
  forms check                   check every form definition in FORMS_DIR
  workflows check               check every workflow definition in WORKFLOWS_DIR
  token create --name <name> [--org <organisation>] [--form <formId> ...]
                                create an API token (printed as the last line); it reads
                                only the submissions of its organisation (id or LA code)
  user add --email <address> --role <role> [--org <organisation>]
                                add a user with a role: social-worker, team-manager,
                                hr-officer (--org a local authority), home-staff (--org a
                                home), coordinator, form-administrator,
                                data-protection-officer, analyst
  user remove --email <address> --role <role> [--org <organisation>]
                                take a role away (in one organisation, or in all); it
                                applies to the user's next request
  org add --kind <kind> --name <name> (--id <id> | --la-code <code>)
                                add or rename an organisation (local-authority, secure-home,
                                coordination-unit, dfe)
  census export --la <code> --year <year> [--out <file>]
                                write the authority's signed-off CSWW XML return, checked
                                against the XSD (default: DATA_DIR/exports/)
  gen-types                     write TypeScript types for every form and workflow to src/generated
`;

/** Runs the `formwork` command; resolves with the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await serve({ web: true, worker: true });
      case 'web':
        return await serve({ web: true, worker: false });
      case 'worker':
        return await serve({ web: false, worker: true });
      case 'forms':
        if (rest[0] === 'check') return await formsCheck();
        break;
      case 'workflows':
        if (rest[0] === 'check') return await workflowsCheck();
        break;
      case 'token':
        if (rest[0] === 'create') return await tokenCreate(rest.slice(1));
        break;
      case 'user':
        if (rest[0] === 'add') return await userAdd(rest.slice(1));
        if (rest[0] === 'remove') return await userRemove(rest.slice(1));
        break;
      case 'org':
        if (rest[0] === 'add') return await orgAdd(rest.slice(1));
        break;
      case 'census':
        if (rest[0] === 'export') return await censusExport(rest.slice(1));
        break;
      case 'gen-types':
        return await genTypes();
      default:
        break;
    }
    process.stderr.write(usage);
    return 2;
  } catch (error) {
    // One clear line; never a stack trace for an expected failure.
    process.stderr.write(`formwork: ${isAppError(error) ? error.message : String(error)}\n`);
    return 1;
  }
}

async function serve(parts: { web: boolean; worker: boolean }): Promise<number> {
  const running = await runFormwork(parts);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.stdout.write('Stopping Formwork…\n');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.stop();
  return 0;
}

async function formsCheck(): Promise<number> {
  const config = loadConfig();
  const problems = await checkForms(config.formsDir);
  for (const problem of problems) {
    process.stderr.write(`${problem.file}: ${problem.pointer || '/'}: ${problem.message}\n`);
  }
  if (problems.length === 0) process.stdout.write('All form definitions are valid.\n');
  return problems.length === 0 ? 0 : 1;
}

async function workflowsCheck(): Promise<number> {
  const config = loadConfig();
  const forms = await loadForms(config.formsDir);
  const problems = await checkWorkflows(config.workflowsDir, forms);
  if (problems.length > 0) process.stderr.write(formatWorkflowProblems(problems) + '\n');
  else process.stdout.write('All workflow definitions are valid.\n');
  return problems.length === 0 ? 0 : 1;
}

async function tokenCreate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      form: { type: 'string', multiple: true },
      org: { type: 'string' },
    },
    strict: true,
  });
  if (!values.name) {
    process.stderr.write('formwork: token create needs --name <name>\n');
    return 2;
  }
  const result = (await runAdminCommand('token.create', {
    name: values.name,
    ...(values.form ? { formIds: values.form } : {}),
    ...(values.org ? { organisation: values.org } : {}),
  })) as { token: string };
  process.stdout.write(
    `Created API token "${values.name}". Store it now: it cannot be shown again.\n${result.token}\n`,
  );
  return 0;
}

async function userAdd(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' } },
    strict: true,
  });
  if (!values.email || !values.role) {
    process.stderr.write('formwork: user add needs --email <address> --role <role>\n');
    return 2;
  }
  const user = (await runAdminCommand('user.add', {
    email: values.email,
    role: values.role,
    ...(values.org ? { organisation: values.org } : {}),
  })) as { email: string; role: string; organisationId: string };
  process.stdout.write(
    `${user.email} is now ${user.role} in ${user.organisationId}. They sign in with a code sent to that address.\n`,
  );
  return 0;
}

async function userRemove(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' } },
    strict: true,
  });
  if (!values.email || !values.role) {
    process.stderr.write('formwork: user remove needs --email <address> --role <role>\n');
    return 2;
  }
  const { removedFrom } = (await runAdminCommand('user.remove', {
    email: values.email,
    role: values.role,
    ...(values.org ? { organisation: values.org } : {}),
  })) as { removedFrom: string[] };
  process.stdout.write(
    `${values.email} is no longer ${values.role} in ${removedFrom.join(', ')}.\n`,
  );
  return 0;
}

async function orgAdd(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      id: { type: 'string' },
      kind: { type: 'string' },
      name: { type: 'string' },
      'la-code': { type: 'string' },
    },
    strict: true,
  });
  const laCode = values['la-code'];
  const id = values.id ?? (laCode ? `la-${laCode}` : undefined);
  if (!id || !values.kind || !values.name) {
    process.stderr.write(
      'formwork: org add needs --kind <kind> --name <name> and --id <id> or --la-code <code>\n',
    );
    return 2;
  }
  await runAdminCommand('org.add', {
    id,
    kind: values.kind,
    name: values.name,
    ...(laCode ? { laCode } : {}),
  });
  process.stdout.write(`Organisation ${id} (${values.kind}) saved.\n`);
  return 0;
}

async function censusExport(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { la: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  if (!values.la || !values.year) {
    process.stderr.write('formwork: census export needs --la <code> --year <year>\n');
    return 2;
  }
  const result = (await runAdminCommand('census.export', {
    la: values.la,
    year: values.year,
    ...(values.out ? { out: resolve(values.out) } : {}),
  })) as { path: string };
  process.stdout.write(
    `Wrote the ${values.year} CSWW return of LA ${values.la} to ${result.path}\n`,
  );
  return 0;
}

/**
 * Runs an admin command through the running process (which owns the embedded database), or
 * against the database directly when no process is running.
 */
async function runAdminCommand(command: string, args: Record<string, unknown>): Promise<unknown> {
  const config = loadConfig();
  const reply = await callAdminSocket(adminSocketPath(config), { command, args });
  if (reply?.error) throw new Error(reply.error);
  if (reply) return reply.result;
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const forms = await loadForms(config.formsDir);
    const census = {
      census: createCensusReturns({ db, forms, clock: systemClock }),
      dataDir: config.dataDir,
    };
    const handler = createAdminCommands(db, census)[command];
    if (!handler) throw new Error(`unknown command ${command}`);
    return await handler(args);
  } finally {
    await db.close();
  }
}

async function genTypes(): Promise<number> {
  const config = loadConfig();
  const forms = await loadForms(config.formsDir);
  const written = await generateFormTypes(
    forms,
    fileURLToPath(new URL('../generated/forms', import.meta.url)),
  );
  await writeWorkflowTypes();
  process.stdout.write(`Wrote types for ${written.length} forms and the workflow definitions.\n`);
  return 0;
}
