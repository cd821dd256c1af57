/**
 * The contract per domain, for a host that loads each domain on its first call (the CLI): a domain
 * is its schemas, policies and job kinds (shared/api/<domain>.ts) and its handlers
 * (main/services/<domain>/handlers.ts), the same maps shared/api.ts and main/services/handlers.ts
 * join for the app. A command that touches one domain then neither builds the other domains'
 * zod schemas nor compiles their code. test/unit/architecture/registry.test.ts checks that these
 * domains answer exactly the contract's calls and job kinds.
 */
import type { ZodType } from 'zod';
import type { CallPolicy } from '../../shared/api/policy';
import type { AppContext } from './context';
import type { Dispatch, Handler } from '../rpc/dispatch';
import type { JobSpecs } from '../jobs/runner';
import { answerCall, type CallEntry } from '../rpc/answer';

export interface DomainModule {
  schemas: Record<string, ZodType>;
  policies?: Record<string, CallPolicy<never> | undefined>;
  jobs?: JobSpecs;
  handlers: object;
}

export const DOMAINS = {
  app: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/app'), import('./app/handlers')]);
    return { schemas: c.appSchemas, policies: c.appPolicies, handlers: h.appHandlers };
  },
  workspace: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/workspace'), import('./workspace/handlers')]);
    return { schemas: c.workspaceSchemas, policies: c.workspacePolicies, handlers: h.workspaceHandlers };
  },
  datasets: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/datasets'), import('./datasets/handlers')]);
    return { schemas: c.datasetsSchemas, policies: c.datasetsPolicies, handlers: h.datasetsHandlers };
  },
  jobs: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/jobs'), import('./jobs/handlers')]);
    return { schemas: c.jobsSchemas, handlers: h.jobsHandlers };
  },
  demo: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/demo'), import('./demo/handlers')]);
    return { schemas: c.demoSchemas, jobs: c.demoJobs, handlers: h.demoHandlers };
  },
  import: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/import'), import('./import/handlers')]);
    return { schemas: c.importSchemas, jobs: c.importJobs, handlers: h.importHandlers };
  },
  segments: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/segments'), import('./segments/handlers')]);
    return { schemas: c.segmentsSchemas, policies: c.segmentsPolicies, jobs: c.segmentsJobs, handlers: h.segmentsHandlers };
  },
  dashboard: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/dashboard'), import('./dashboard/handlers')]);
    return { schemas: c.dashboardSchemas, handlers: h.dashboardHandlers };
  },
  value: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/value'), import('./value/handlers')]);
    return { schemas: c.valueSchemas, jobs: c.valueJobs, handlers: h.valueHandlers };
  },
  sms: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/sms'), import('./sms/handlers')]);
    return { schemas: c.smsSchemas, handlers: h.smsHandlers };
  },
  text: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/text'), import('./text/handlers')]);
    return { schemas: c.textSchemas, jobs: c.textJobs, handlers: h.textHandlers };
  },
  quality: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/quality'), import('./quality/handlers')]);
    return { schemas: c.qualitySchemas, jobs: c.qualityJobs, handlers: h.qualityHandlers };
  },
  customers: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/customers'), import('./customers/handlers')]);
    return { schemas: c.customersSchemas, policies: c.customersPolicies, jobs: c.customersJobs, handlers: h.customersHandlers };
  },
  privacy: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/privacy'), import('./privacy/handlers')]);
    return { schemas: c.privacySchemas, jobs: c.privacyJobs, handlers: h.privacyHandlers };
  },
  audit: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/audit'), import('./audit/handlers')]);
    return { schemas: c.auditSchemas, handlers: h.auditHandlers };
  },
  backups: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/backups'), import('./backups/handlers')]);
    return { schemas: c.backupsSchemas, policies: c.backupsPolicies, handlers: h.backupsHandlers };
  },
  reports: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/reports'), import('./reports/handlers')]);
    return { schemas: c.reportsSchemas, handlers: h.reportsHandlers };
  },
  insights: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/insights'), import('./insights/handlers')]);
    return { schemas: c.insightsSchemas, handlers: h.insightsHandlers };
  },
  definitions: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/definitions'), import('./definitions/handlers')]);
    return { schemas: c.definitionsSchemas, handlers: h.definitionsHandlers };
  },
  remote: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/remote'), import('./remote/handlers')]);
    return { schemas: c.remoteSchemas, handlers: h.remoteHandlers };
  },
  uplift: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/uplift'), import('./uplift/handlers')]);
    return { schemas: c.upliftSchemas, jobs: c.upliftJobs, handlers: h.upliftHandlers };
  },
  columns: async () => {
    const [c, h] = await Promise.all([import('../../shared/api/columns'), import('./columns/handlers')]);
    return { schemas: c.columnsSchemas, jobs: c.columnsJobs, handlers: h.columnsHandlers };
  },
} satisfies Record<string, () => Promise<DomainModule>>;
export type DomainName = keyof typeof DOMAINS;

/** Calls whose first word is not their domain's name; every other call 'd/verb' is domain d's. */
const ROUTED: Record<string, DomainName> = { settings: 'app', host: 'app', identity: 'definitions' };

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The domain that declares a call (by the call's first word), or null: no domain has that word. */
export function domainOf(name: string): DomainName | null {
  const word = name.split('/')[0]!;
  if (own(ROUTED, word)) return ROUTED[word]!;
  return own(DOMAINS, word) ? (word as DomainName) : null;
}

/**
 * A dispatcher that loads a call's domain on its first call (once; concurrent first calls share the
 * load), and the job kinds of the domains loaded so far, for the job runner: a domain's handlers
 * start only its own kinds, so a kind is known before it is started.
 */
export function lazyDomains(): { jobs: JobSpecs; dispatcher: (ctx: AppContext) => Dispatch } {
  const jobs: JobSpecs = {};
  const loaded = new Map<DomainName, Promise<DomainModule>>();
  const load = (d: DomainName) => {
    let p = loaded.get(d);
    if (!p) {
      p = DOMAINS[d]().then((m: DomainModule) => {
        Object.assign(jobs, m.jobs);
        return m;
      });
      loaded.set(d, p);
    }
    return p;
  };
  const find = async (name: string): Promise<CallEntry | null> => {
    const d = domainOf(name);
    if (!d) return null;
    const m = await load(d);
    if (!own(m.schemas, name)) return null;
    return { schema: m.schemas[name]!, handler: (m.handlers as Record<string, Handler<never>>)[name]!, policy: m.policies?.[name] };
  };
  return { jobs, dispatcher: (ctx) => (name, args, call) => answerCall(ctx, name, args, call, find) };
}
