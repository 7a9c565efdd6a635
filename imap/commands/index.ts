/**
 * The command registry: command name -> its file's CommandSpec. A new command is one file here
 * and one line below (and its capability in session/capabilities.ts).
 */
import type { CommandRegistry } from '../session/command-spec.js';
import { append } from './append.js';
import { authenticate } from './authenticate.js';
import { cancelupdate } from './cancelupdate.js';
import { capability } from './capability.js';
import { close, unselect } from './close.js';
import { compress } from './compress.js';
import { copy, move } from './copy.js';
import { create } from './create.js';
import { del } from './delete.js';
import { enable } from './enable.js';
import { expunge } from './expunge.js';
import { fetch } from './fetch.js';
import { id } from './id.js';
import { idle } from './idle.js';
import { list, lsub } from './list.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { namespace } from './namespace.js';
import { notify } from './notify.js';
import { check, noop } from './noop.js';
import { getquota, getquotaroot, setquota } from './quota.js';
import { rename } from './rename.js';
import { search } from './search.js';
import { sort } from './sort.js';
import { thread } from './thread.js';
import { examine, select } from './select.js';
import { starttls } from './starttls.js';
import { status } from './status.js';
import { store } from './store.js';
import { subscribe, unsubscribe } from './subscribe.js';
import { genurlauth, resetkey, urlfetch } from './urlauth.js';

export const COMMANDS: CommandRegistry = {
  CAPABILITY: capability,
  NOOP: noop,
  LOGOUT: logout,
  STARTTLS: starttls,
  AUTHENTICATE: authenticate,
  LOGIN: login,
  ENABLE: enable,
  ID: id,
  COMPRESS: compress,
  NAMESPACE: namespace,
  IDLE: idle,
  SELECT: select,
  EXAMINE: examine,
  CREATE: create,
  DELETE: del,
  RENAME: rename,
  SUBSCRIBE: subscribe,
  UNSUBSCRIBE: unsubscribe,
  LIST: list,
  LSUB: lsub,
  STATUS: status,
  APPEND: append,
  CHECK: check,
  CLOSE: close,
  UNSELECT: unselect,
  EXPUNGE: expunge,
  SEARCH: search,
  SORT: sort,
  THREAD: thread,
  CANCELUPDATE: cancelupdate,
  NOTIFY: notify,
  FETCH: fetch,
  STORE: store,
  COPY: copy,
  MOVE: move,
  GETQUOTA: getquota,
  GETQUOTAROOT: getquotaroot,
  SETQUOTA: setquota,
  GENURLAUTH: genurlauth,
  RESETKEY: resetkey,
  URLFETCH: urlfetch,
};
