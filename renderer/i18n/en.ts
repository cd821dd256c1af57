import type { zhCN } from './zh-CN';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const en: Shape<typeof zhCN> = {
  lang: 'en',
  nav: { workspace: 'Workspace', import: 'Import', data: 'Data', dashboard: 'Dashboard', quality: 'Quality', customers: 'Customers', segments: 'Segments', campaigns: 'Campaigns', text: 'Text', value: 'Value', insights: 'Insights', reports: 'Reports', settings: 'Settings' },
  areas: {
    insights: 'Lifecycle, geography, cross-channel journeys and satisfaction.',
    workspace: 'One local SQLite file per project, optionally encrypted; all data stays on this computer.',
    import: 'Import CSV / TSV / TXT / Excel: encoding, delimiter and column types are detected; unreadable rows go to quarantine, none is lost.',
    data: 'Browse the datasets in this workspace: paging, sorting and filtering run in the database.',
    dashboard: 'KPIs, trends, breakdowns by channel, region and segment, and when customers order.',
    quality: 'Column profiles, quality scores, replayable cleaning recipes and fuzzy dedupe.',
    customers: 'A single customer view across channels: golden records and event timelines.',
    segments: 'RFM, k-means and rule segments, the segment explorer and the dashboard.',
    campaigns: 'SMS campaign funnel, unsubscribes, A/B tests and the best send time.',
    text: 'Chinese word segmentation, word frequency, keywords, sentiment and text classification.',
    value: 'Customer lifetime value (BG/NBD + Gamma-Gamma), churn model, association rules and forecasts.',
    reports: 'Segment exports, masking, and reports (HTML / PDF / PNG).',
  },
  charts: { exportPng: 'Export PNG' },
  quarantine: { ragged: 'wrong number of fields', nul_byte: 'NUL bytes', undecodable: 'bytes not valid in the encoding', unterminated_quote: 'quote never closed', bad_quote: 'text after a closing quote', field_too_large: 'field too large' },
  presentation: { on: 'Presenting (masked)', off: 'Presentation mode', tip: 'Presentation mode: phones, names, e-mails and ID numbers are masked on every screen, chart and tooltip' },
  common: { open: 'Open', close: 'Close', delete: 'Delete', cancel: 'Cancel', back: 'Back', next: 'Next' },
  workspace: {
    none: 'No workspace open',
    create: 'New workspace', name: 'Name', nameRequired: 'Enter a name', namePlaceholder: 'e.g. 2024 member analysis', encrypt: 'Encrypt with a passphrase', passphrase: 'Passphrase',
    passphraseRule: 'At least 8 characters', passphraseHelp: 'A forgotten passphrase cannot be recovered.', createButton: 'Create',
    demo: 'Demo workspace', demoHelp: 'A seeded Chinese retail customer base: CRM contacts (GBK, with duplicates), orders (with refunds), SMS sends, receipts and replies.', openDemo: 'Open demo workspace',
    recent: 'Recent', noRecent: 'No workspaces yet', encrypted: 'Encrypted', rename: 'Rename', changePassphrase: 'Change passphrase', backup: 'Back up now', backupDone: 'Backup written', passphraseBackups: 'Passphrase changed. Backups now under the new key: {{rekeyed}}; plaintext backups deleted: {{removed}}; left under another key: {{unchanged}}.',
    deleteTitle: 'Delete workspace', deleteConfirm: 'This cannot be undone. Type the workspace name "{{name}}" to confirm:', path: 'File', size: 'Size', datasets: 'Datasets', schema: 'Schema version', created: 'Created',
    audit: 'Audit log', backups: 'Backups', noBackups: 'No backups yet', restore: 'Restore', restoreConfirm: 'Replace the workspace with this backup? Running jobs are cancelled and the current state is backed up first.', restored: 'Restored',
    currentPassphrase: 'Current passphrase', newPassphrase: 'New passphrase', emptyDecrypts: 'Leave empty to remove encryption.', enterPassphrase: 'Passphrase for "{{name}}"', openFirst: 'Open or create a workspace first.', importFirst: 'This workspace has no data yet. Import a file (CSV, TXT, Excel) first, or open the demo workspace on the Workspace screen.', tryDemo: 'Go to the demo workspace',
    privacy: 'Segmint works fully offline: no network, no uploads; all data stays in workspace files on this computer.',
  },
  audit: {
    time: 'Time', action: 'Action', object: 'Object', rows: 'Rows',
    actions: { 'workspace.created': 'Workspace created', 'workspace.opened': 'Workspace opened', 'workspace.renamed': 'Workspace renamed', 'workspace.backup': 'Backup', 'workspace.restored': 'Backup restored', 'workspace.passphrase_changed': 'Passphrase changed', 'dataset.imported': 'Dataset imported', 'dataset.renamed': 'Dataset renamed', 'dataset.deleted': 'Dataset deleted' },
  },
  jobs: { title: 'Jobs', empty: 'No jobs yet', failed: 'Job failed', eta: '{{s}} s left', rows: '{{rows}} rows read', rate: '{{rate}} rows/s', status: { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' } },
  definitions: {
    title: 'Definitions (what counts)', purpose: 'Every analysis counts orders and sends by these mappings; a change is audited and results made before it need a recompute.',
    kind: 'Kind', kinds: { order: 'Orders', sms: 'SMS sends' }, column: 'Status column', noColumn: 'none — every row counts as {{cls}}', window: 'Attribution window', days: '{{n}} days', asOf: 'As of', latest: 'latest event',
    value: 'Value in the file', blank: '(blank)', rows: 'Rows', class: 'Counts as', inferred: 'Inferred', changedFrom: 'changed (inferred {{cls}})', revision: 'Definitions revision {{n}}',
    classes: { valid: 'valid order', cancelled: 'cancelled', refunded: 'refunded', pending: 'pending', delivered: 'delivered (receipt)', accepted: 'accepted, no receipt', unknown: 'unknown', failed: 'failed' },
  },
  data: {
    catalog: 'Datasets', rows: 'rows', cols: 'columns', empty: 'This workspace has no datasets yet.', source: 'Source', encoding: 'Encoding', rowsIn: 'Rows in', quarantined: 'Quarantined',
    typed: 'Typed', raw: 'Raw', quarantine: 'Quarantine', search: 'Search all columns', value: 'Value', addFilter: 'Add filter', rowsTotal: '{{n}} rows', invalidCells: '{{n}} invalid values', editColumn: 'Column “{{name}}”', colType: 'Type', colRole: 'Role', noRole: '(no role)', applyColumn: 'Apply', columnChanged: 'Changed: {{name}} is now {{type}} / {{role}}, {{n}} raw values read again; results made before are marked for recompute.', columnHelp: 'Fix what the importer guessed: a new type re-reads every value from the raw data (no re-import).',
    ops: { contains: 'contains', eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', empty: 'is empty', notEmpty: 'is not empty' },
  },
  import: {
    stepFiles: 'Files', stepFormat: 'Encoding & format', stepColumns: 'Columns', stepImport: 'Import', stepSummary: 'Summary',
    drop: 'Drop files here, or click to choose', dropHint: 'CSV, TSV, TXT, Excel (.xlsx); several files with the same header are appended into one dataset.', choose: 'Choose files…',
    files: 'Files', detected: 'Detected encoding', rowsSampled: 'Preview rows', encoding: 'Encoding', auto: 'Auto', delimiter: 'Delimiter', quote: 'Quote', noQuote: 'No quoting', header: 'First row is header', skipLines: 'Skip leading lines', replay: 'Reuse settings of',
    delims: { '","': 'Comma ,', '"\\t"': 'Tab', '";"': 'Semicolon ;', '"|"': 'Pipe |', '" +"': 'Runs of spaces' },
    appendTo: 'or append to', appendNone: 'new dataset',
    engineDuckdb: 'Large file: keep rows in the DuckDB engine', engineSuggested: 'suggested for this size', engineHelp: 'The rows go to a columnar DuckDB file beside the workspace: identity, RFM, CLV, lifecycle, geography, the forecast and the grid run there on millions of rows. Other analyses need the rows in the workspace (they say so). Not for encrypted workspaces.', datasetName: 'Dataset name', include: 'Import', column: 'Column', type: 'Type', role: 'Role', fit: 'Fit', fitHelp: 'Share of non-empty sample values that fit the type', examples: 'Examples', bad: 'Values that do not fit', invalid: 'Invalid',
    start: 'Import', done: '"{{name}}" imported', balance: '{{in}} rows in = {{ok}} imported + {{q}} quarantined', renamed: 'A dataset named "{{from}}" already exists, so this one is named "{{name}}" (rename it in Data).', rowsIn: 'Rows in', rowsImported: 'Imported', rowsQuarantined: 'Quarantined', seconds: 'Seconds',
    goData: 'View data', viewQuarantine: 'View quarantine', goQuality: 'Data quality', another: 'Import another', cancelled: 'Import cancelled', failed: 'Import failed', nothingChanged: 'The workspace was not changed.',
  },
  types: { integer: 'Integer', decimal: 'Decimal', percent: 'Percent', boolean: 'Boolean', date: 'Date', datetime: 'Date-time', phone: 'Phone', email: 'Email', id: 'ID', category: 'Category', text: 'Text' },
  pickers: { sep: ', ', uses: 'uses {{roles}}', missing: 'missing: {{roles}}', conflicting: 'has {{roles}}: another kind of file', noneFits: 'no dataset fits — set the roles on the Data screen' },
  roles: {
    customer_id: 'Customer ID', phone: 'Phone', email: 'Email', name: 'Name', gender: 'Gender', birthday: 'Birthday', region: 'Region', city: 'City', timestamp: 'Timestamp', amount: 'Amount', quantity: 'Quantity', unit_price: 'Unit price',
    order_id: 'Order ID', item: 'Item', channel: 'Channel', campaign: 'Campaign', variant: 'Variant', sms_status: 'SMS status', order_status: 'Order status', message_text: 'Message text', reply_text: 'Reply text', label: 'Label', cost: 'Cost',
  },
  settings: {
    general: 'General', language: 'Language', retention: 'Backups kept per workspace', about: 'About', version: 'Version', host: 'Running as', dataDir: 'Data folder', platform: 'Platform',
    hosts: { electron: 'Desktop app', browser: 'Browser mode (this computer, 127.0.0.1)', cli: 'Command line', test: 'Test' },
    privacyTitle: 'Privacy', privacy: 'Segmint opens no network connections and has no telemetry. Data is written only to your workspace files and the local data folder; workspaces can be encrypted with a passphrase (SQLCipher), and exports are recorded in the audit log.',
  },
};
