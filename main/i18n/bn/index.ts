// The main process's Bengali catalogue, area by area like en/ (each file typed against its English one).
import type { MainCatalogue } from '../index';
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

export const BN_AREAS = { menus, app, calls, exporting, files, formats, guide, importing, models, predict, services, train } as const;

export const bn: MainCatalogue = { ...menus, ...app, ...calls, ...exporting, ...files, ...formats, ...guide, ...importing, ...models, ...predict, ...services, ...train };
