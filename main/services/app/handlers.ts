/** The app itself: version and host facts, settings, and the native dialogs of the desktop host. */
import os from 'node:os';
import type { DomainHandlers } from '../../rpc/dispatch';
import type { appSchemas } from '../../../shared/api/app';
import { AppError } from '../../../shared/errors';
import type { AppContext } from '../context';
import { publicSettings, readSettings, updateSettings } from '../settings';
import { APP_VERSION } from '../version';

function requireHost(ctx: AppContext) {
  if (!ctx.hostServices) throw new AppError('not_available', 'Native file dialogs exist only in the desktop app; upload the file instead.', '原生文件对话框仅在桌面版可用，请改用上传。');
  return ctx.hostServices;
}

export const appHandlers: DomainHandlers<typeof appSchemas> = {
  'app/info': (_a, ctx) => ({
    version: APP_VERSION,
    host: ctx.host,
    dataDir: ctx.dataDir,
    platform: `${os.platform()} ${os.arch()}`,
    systemLocale: Intl.DateTimeFormat().resolvedOptions().locale,
  }),
  'settings/get': (_a, ctx) => publicSettings(readSettings(ctx)),
  'settings/set': (a, ctx) => {
    const s = updateSettings(ctx, Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)));
    if (ctx.host !== 'cli') ctx.presentation = s.presentationMode;
    return publicSettings(s);
  },
  'host/choose-files': async (a, ctx) => ({ paths: await requireHost(ctx).chooseFiles(a) }),
  'host/choose-save': async (a, ctx) => ({ path: await requireHost(ctx).chooseSavePath(a) }),
};
