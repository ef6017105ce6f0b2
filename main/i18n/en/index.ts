// The main process's English catalogue: one file per area (menus, import, …); bn/ mirrors it file
// by file. Keys start with their area's name, so no two areas define the same one (tested).
import { app } from './app';
import { calls } from './calls';
import { exporting } from './export';
import { files } from './files';
import { formats } from './formats';
import { guide } from './guide';
import { importing } from './import';
import { menus } from './menus';
import { models } from './models';
import { predict } from './predict';
import { services } from './services';
import { train } from './train';

export const EN_AREAS = { menus, app, calls, exporting, files, formats, guide, importing, models, predict, services, train } as const;

export const en = { ...menus, ...app, ...calls, ...exporting, ...files, ...formats, ...guide, ...importing, ...models, ...predict, ...services, ...train } as const;
