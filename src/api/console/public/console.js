// The console page: sign-in, the live backorder list, and the actions on one order. Plain DOM, no framework;
// every text goes in through textContent.
import { BACKORDER_COLUMNS, PAGE_SIZE, backordersQuery } from './columns.js';
import { backorderFilter, coalesce, describeError, formatDate, formatDateTime, versionConflict } from './format.js';
import { ApiError, graphqlRequest } from './graphql.js';
import { ACTIONS, ORDER, ORDER_EVENTS, ORDER_VERSION } from './queries.js';
import { createLiveClient } from './ws-client.js';

const TOKEN_KEY = 'oms-console-token';
const REFRESH_DELAY_MS = 250;
const ENDPOINT = new URL('/graphql', location.href).href;
const SOCKET_URL = ENDPOINT.replace(/^http/, 'ws');
const LIST_QUERY = backordersQuery(BACKORDER_COLUMNS);

const $ = (selector) => document.querySelector(selector);
const state = { token: null, live: null, filter: {}, selected: null, touchedSelected: false };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined || value === null) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

const api = (query, variables) => graphqlRequest(ENDPOINT, state.token, query, variables);

// --- signing in and out -------------------------------------------------------------------------------------

async function signIn(token, { quiet = false } = {}) {
  state.token = token;
  $('#sign-in-error').textContent = quiet ? '' : 'Signing in…';
  try {
    await refreshList();
  } catch (error) {
    signOut(error.code === 'UNAUTHENTICATED' ? `The API refused this token: ${error.message}` : describeError(error));
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('#sign-in-error').textContent = '';
  $('#sign-in').hidden = true;
  $('#workspace').hidden = false;
  $('#sign-out').hidden = false;
  startLive();
}

function signOut(message = '') {
  state.live?.close();
  state.live = null;
  state.token = null;
  state.selected = null;
  refresh.cancel();
  sessionStorage.removeItem(TOKEN_KEY);
  $('#workspace').hidden = true;
  $('#order-panel').hidden = true;
  $('#sign-out').hidden = true;
  $('#sign-in').hidden = false;
  $('#live-status').textContent = 'Signed out';
  $('#sign-in-error').textContent = message;
  $('#token').value = '';
  if (message) $('#token').focus();
}

/** Any request that comes back UNAUTHENTICATED (the token expired, the secret changed) ends the session. */
function handleFailure(error, where) {
  if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
    signOut(`Signed out: the API refused the token (${error.message}). Paste a valid token.`);
    return true;
  }
  where.textContent = describeError(error, state.selected?.number);
  return false;
}

// --- live updates ---------------------------------------------------------------------------------------------

const LIVE_TEXT = {
  connecting: 'Connecting live updates…',
  live: 'Live: updates as orders change',
  reconnecting: 'Live updates lost: reconnecting…',
  refused: 'Live updates refused',
};

function startLive() {
  state.live = createLiveClient({
    url: SOCKET_URL,
    token: state.token,
    onStatus: (status, info = {}) => {
      $('#live-status').textContent = LIVE_TEXT[status] ?? status;
      $('#live-status').dataset.state = status;
      // Events may have been missed while the socket was down: read the list again.
      if (status === 'live' && info.reconnected) refresh();
    },
    onRefused: ({ code, reason }) => {
      signOut(
        code === 4403
          ? `Signed out: the live connection refused the token (${reason}). Paste a valid token.`
          : `Signed out: the live connection was closed (${code} ${reason}).`,
      );
    },
  });
  state.live.subscribe(
    { query: ORDER_EVENTS },
    {
      next: (result) => {
        const event = result.data?.orderEvents;
        if (!event) return;
        if (state.selected && event.orderId === state.selected.id) state.touchedSelected = true;
        refresh();
      },
      error: (errors) => {
        $('#list-error').textContent = `Live updates stopped: ${errors?.[0]?.message ?? 'subscription refused'}`;
      },
    },
  );
}

/** One re-read of the list (and of the open order's version) per burst of events. */
const refresh = coalesce(async () => {
  if (!state.token) return;
  try {
    await refreshList();
    if (state.touchedSelected && state.selected) {
      state.touchedSelected = false;
      await checkSelectedVersion();
    }
  } catch (error) {
    handleFailure(error, $('#list-error'));
  }
}, REFRESH_DELAY_MS);

// --- the backorder list ---------------------------------------------------------------------------------------

async function refreshList() {
  const data = await api(LIST_QUERY, { filter: state.filter, first: PAGE_SIZE });
  renderList(data.backorders);
  $('#list-error').textContent = '';
}

function renderHeader() {
  $('#backorders thead tr').replaceChildren(...BACKORDER_COLUMNS.map((column) => el('th', { scope: 'col' }, column.header)));
}

function renderList(connection) {
  const now = Date.now();
  const rows = connection.edges.map(({ node }) => node);
  const focusedOrder = document.activeElement?.dataset?.orderId;
  const body = $('#backorders tbody');
  body.replaceChildren(
    ...rows.map((row) =>
      el(
        'tr',
        { 'data-order-id': row.orderId, 'aria-current': state.selected?.id === row.orderId ? 'true' : false },
        ...BACKORDER_COLUMNS.map((column) => {
          const text = column.cell(row, now);
          const content = column.opensOrder
            ? el('button', { type: 'button', class: 'link', 'data-order-id': row.orderId, 'aria-label': `Open order ${text}` }, text)
            : text;
          return el('td', { class: column.numeric ? 'numeric' : false }, content);
        }),
      ),
    ),
  );
  if (rows.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: BACKORDER_COLUMNS.length }, 'No open backorders match.')));
  }
  if (focusedOrder) body.querySelector(`button[data-order-id="${CSS.escape(focusedOrder)}"]`)?.focus();
  const shown = rows.length < connection.totalCount ? `${rows.length} of ${connection.totalCount}` : `${rows.length}`;
  $('#list-status').textContent =
    `${shown} open backorder line${connection.totalCount === 1 ? '' : 's'}, read at ${new Date(now).toLocaleTimeString()}`;
}

// --- one order: details, timeline and actions -------------------------------------------------------------------

async function openOrder(orderId, { focus = true } = {}) {
  const panel = $('#order-panel');
  try {
    const { order } = await api(ORDER, { id: orderId });
    if (!order) {
      $('#list-error').textContent = 'That order no longer exists.';
      return;
    }
    showOrder(order);
    panel.hidden = false;
    for (const row of document.querySelectorAll('#backorders tbody tr')) {
      if (row.dataset.orderId === order.id) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    }
    if (focus) $('#order-title').focus();
  } catch (error) {
    handleFailure(error, $('#list-error'));
  }
}

function showOrder(order) {
  state.selected = order;
  state.touchedSelected = false;
  $('#order-title').textContent = `Order ${order.number} — version ${order.version}`;
  $('#order-stale').hidden = true;
  $('#order-alert').hidden = true;
  const summary = [
    ['Status', order.status + (order.holdReason ? ` (${order.holdReason})` : '')],
    ['Version', order.version],
    ['Priority', order.priority + (order.flags.length ? `, ${order.flags.join(', ')}` : '')],
    ['Customer', order.customerId],
    ['Channel', order.channel],
    ['Ships to', order.shipToRegion],
    ['Policy', order.fulfilmentPolicy],
    ['Placed', formatDateTime(order.placedAt)],
  ];
  $('#order-summary').replaceChildren(...summary.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
  $('#order-lines tbody').replaceChildren(
    ...order.lines.map((line) =>
      el(
        'tr',
        {},
        el('td', {}, line.sku),
        ...[line.quantity, line.allocatedQuantity, line.backorderedQuantity, line.shippedQuantity, line.cancelledQuantity].map((n) =>
          el('td', { class: 'numeric' }, n),
        ),
        el('td', {}, formatDate(line.eta)),
        el('td', {}, line.allocations.map((a) => a.reason).join('; ') || '—'),
      ),
    ),
  );
  $('#order-events').replaceChildren(
    ...order.events.map((event) =>
      el('li', {}, el('time', { datetime: event.at }, formatDateTime(event.at)), ` ${event.type} → ${event.status}: ${event.message}`),
    ),
  );
  $('#action-priority select').value = order.priority;
  $('#action-release button').disabled = order.status !== 'ON_HOLD';
  $('#action-release button').title = order.status === 'ON_HOLD' ? '' : 'Only an order on hold can be released';
}

/** A live event touched the open order: say so if its version moved past the one on screen. */
async function checkSelectedVersion() {
  const shown = state.selected;
  const { order } = await api(ORDER_VERSION, { id: shown.id });
  if (!order || state.selected !== shown || order.version <= shown.version) return;
  const notice = $('#order-stale');
  notice.querySelector('span').textContent = `${shown.number} has changed since you loaded it (version ${shown.version} → ${order.version}).`;
  notice.hidden = false;
}

async function runAction(name, form) {
  const action = ACTIONS[name];
  const order = state.selected;
  if (!order) return;
  const values = Object.fromEntries(new FormData(form));
  const buttons = [...document.querySelectorAll('#order-panel .actions button')];
  buttons.forEach((button) => {
    button.disabled = true;
  });
  $('#order-done').textContent = '';
  $('#order-alert').hidden = true;
  try {
    const { result } = await api(action.query, action.variables(order, values));
    form.reset();
    showOrder(result);
    $('#order-done').textContent = `${action.done}: ${result.number} is now version ${result.version}.`;
    refresh();
  } catch (error) {
    const alert = $('#order-alert');
    if (!handleFailure(error, alert.querySelector('span'))) {
      alert.querySelector('button').hidden = !versionConflict(error);
      alert.hidden = false;
    }
  } finally {
    buttons.forEach((button) => {
      button.disabled = false;
    });
    if (state.selected) $('#action-release button').disabled = state.selected.status !== 'ON_HOLD';
  }
}

// --- wiring ------------------------------------------------------------------------------------------------------

function wire() {
  renderHeader();
  $('#sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('#token')
      .value.trim()
      .replace(/^Bearer\s+/i, '');
    if (!token) {
      $('#sign-in-error').textContent = 'Paste a token first.';
      return;
    }
    signIn(token);
  });
  $('#sign-out').addEventListener('click', () => signOut());
  $('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    state.filter = backorderFilter(Object.fromEntries(new FormData(event.target)));
    refresh();
  });
  $('#filters').addEventListener('reset', () => {
    state.filter = {};
    refresh();
  });
  $('#backorders tbody').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-order-id]');
    if (button) openOrder(button.dataset.orderId);
  });
  for (const name of Object.keys(ACTIONS)) {
    const form = $(`#action-${name}`);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.checkValidity()) {
        form.reportValidity();
        return;
      }
      runAction(name, form);
    });
  }
  for (const button of document.querySelectorAll('#order-panel [data-reload]')) {
    button.addEventListener('click', () => state.selected && openOrder(state.selected.id));
  }
  $('#close-order').addEventListener('click', () => {
    const id = state.selected?.id;
    state.selected = null;
    $('#order-panel').hidden = true;
    document.querySelector(`#backorders button[data-order-id="${CSS.escape(id ?? '')}"]`)?.focus();
  });

  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved, { quiet: true });
}

wire();
