// noticescan's page: sends each chosen file to POST /v1/scan on the server that served the page and
// shows what came back. Plain JavaScript, no library, no request to any other site.
'use strict';

const KIND_NAMES = {
  receipt_number: 'Receipt number',
  a_number: 'A-number',
  online_account_number: 'USCIS online account number',
  online_access_code: 'Online access code',
};

const ROLE_NAMES = { applicant: 'applicant', petitioner: 'petitioner', beneficiary: 'beneficiary' };

// What each warning means in plain words; the server's message says what to do.
const WARNING_TITLES = {
  low_sharpness: 'The photo is blurry',
  low_contrast: 'The page is too faded or too dark',
  page_not_found: 'The edges of the page were not found',
  too_small: 'The page is small in the photo',
  identifier_cut: 'A number runs off the edge of the photo',
  value_withheld: 'A number was read too uncertainly to trust',
  low_ocr_confidence: 'The text was hard to read',
  coarse_fax: 'The fax was sent in standard resolution',
  page_unreadable: 'A page could not be read',
};

const ERROR_TITLES = {
  unsupported_format: 'This is not a file noticescan can read',
  too_large: 'The file is too large',
  unreadable: 'The file could not be read',
  encrypted_pdf: 'The PDF is protected by a password',
  timeout: 'Reading the file took too long',
  busy: 'The server is busy',
  internal: 'Something went wrong on the server',
};

// The columns of `noticescan scan --format csv`, in its order.
const CSV_COLUMNS = ['file', 'status', 'type', 'value', 'confidence', 'page', 'label', 'role', 'form_type',
  'notice_type', 'notice_date', 'error'];

/** A new element with attributes and children (strings become text, never HTML). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attributes = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** "high" at 0.9 and above (the calibrated confidence: about 1 in 100 such fields is wrong). */
function confidenceWord(confidence) {
  if (confidence >= 0.9) return { word: 'high', tone: 'high' };
  if (confidence >= 0.6) return { word: 'check this', tone: 'check' };
  return { word: 'low: check this carefully', tone: 'low' };
}

function csvField(text) {
  const s = text === null || text === undefined ? '' : String(text);
  return /[",\r\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

/** The result as `noticescan scan --format csv` writes it: a header, then a row per field. */
function toCsv(result) {
  const doc = result.document || {};
  const facts = [doc.form_type, doc.notice_type, doc.notice_date].map(csvField);
  const common = [csvField(result.file), result.status];
  const rows = [CSV_COLUMNS.join(',')];
  if (result.fields.length === 0) {
    rows.push([...common, '', '', '', '', '', '', ...facts, csvField(result.error ? result.error.message : '')].join(','));
  }
  for (const f of result.fields) {
    rows.push([...common, f.type, csvField(f.value), f.confidence.toFixed(3), f.page, csvField(f.label),
      csvField(f.role), ...facts, ''].join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

/** The result without the page pictures (they are for this page, not for the download). */
function withoutPreviews(result) {
  return { ...result, pages: (result.pages || []).map(({ preview, ...page }) => page) };
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Pages served over plain HTTP to another machine have no clipboard API.
  const area = el('textarea', { readonly: true, class: 'file-input' });
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

function stemOf(name) {
  const base = name.replace(/\.[^.]*$/, '');
  return base.length > 0 ? base : 'notice';
}

/** One page's picture with an outline and a number on each field found on it. */
function pageFigure(result, page, fieldNumbers) {
  const p = page.preview;
  const onPage = result.fields.map((f, i) => [f, fieldNumbers[i]]).filter(([f]) => f.page === page.page);
  const count = onPage.length === 1 ? '1 number outlined' : `${onPage.length} numbers outlined`;
  const caption = `Page ${page.page} of ${result.file} as uploaded, ${count}`;
  const view = el('div', { class: 'page-view' },
    el('img', { src: `data:${p.media_type};base64,${p.data}`, alt: caption, width: p.width, height: p.height }));
  const overlay = svg('svg', {
    viewBox: `0 0 ${p.source_width} ${p.source_height}`, preserveAspectRatio: 'none', 'aria-hidden': 'true',
  });
  const stroke = Math.max(p.source_width, p.source_height) / 300;
  const fontSize = Math.max(p.source_width, p.source_height) / 45;
  for (const [field, number] of onPage) {
    overlay.append(svg('polygon', {
      points: field.polygon.map(([x, y]) => `${x},${y}`).join(' '), 'stroke-width': stroke,
    }));
    const [x, y] = field.polygon[0];
    const tag = svg('text', {
      x, y: Math.max(fontSize, y - stroke * 2), 'font-size': fontSize, 'font-weight': 'bold', fill: '#0b57d0',
      stroke: '#ffffff', 'stroke-width': stroke / 2, 'paint-order': 'stroke',
    });
    tag.textContent = String(number);
    overlay.append(tag);
  }
  view.append(overlay);
  const figure = el('figure', {}, view, el('figcaption', {}, caption));
  // Pages without a number (the back of a notice, instructions) stay folded away.
  if (onPage.length > 0) return figure;
  return el('details', { class: 'empty-page' }, el('summary', {}, `Page ${page.page}: no numbers found`), figure);
}

function fieldItem(field, number) {
  const { word, tone } = confidenceWord(field.confidence);
  const kind = KIND_NAMES[field.type] || field.type;
  const copied = el('span', { class: 'copied', role: 'status' });
  const copy = el('button', { type: 'button', class: 'copy', 'aria-label': `Copy ${kind} ${field.value}` }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await copyText(field.value);
      copied.textContent = 'Copied';
    } catch {
      copied.textContent = 'Could not copy: select the number and copy it by hand';
    }
    setTimeout(() => { copied.textContent = ''; }, 4000);
  });
  const where = [`page ${field.page}`];
  if (field.label) where.push(`labelled "${field.label}"`);
  if (field.role) where.push(`the ${ROLE_NAMES[field.role] || field.role}'s`);
  if (field.source === 'barcode') where.push('read from the barcode');
  return el('li', { class: 'field' },
    el('div', { class: 'field-head' }, el('span', { class: 'badge', 'aria-hidden': 'true' }, number),
      el('span', { class: 'kind' }, kind)),
    el('div', { class: 'value-row' }, el('span', { class: 'value' }, field.value), copy, copied),
    el('div', { class: `confidence ${tone}` },
      el('span', {}, 'Confidence:'), el('span', { class: 'word' }, word),
      el('meter', { min: 0, max: 1, low: 0.6, high: 0.9, optimum: 1, value: field.confidence,
        'aria-label': `confidence ${Math.round(field.confidence * 100)} percent` })),
    el('p', { class: 'meta' }, `Found on ${where.join(', ')}.`));
}

function factsList(doc) {
  const facts = [['Notice type', doc.notice_type], ['Form', doc.form_type], ['Notice date', doc.notice_date],
    ['Received date', doc.received_date], ['Priority date', doc.priority_date]].filter(([, v]) => v);
  if (facts.length === 0) return null;
  return el('dl', { class: 'facts' }, facts.map(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
}

function capitalised(text) {
  return text.length > 0 ? text[0].toUpperCase() + text.slice(1) : text;
}

/** Each warning as its title and what to do: the server's messages read "what: what to do". */
function warningsList(warnings) {
  if (!warnings || warnings.length === 0) return null;
  return el('ul', { class: 'warnings' }, warnings.map((w) => {
    const title = WARNING_TITLES[w.code];
    const split = w.message.indexOf(': ');
    const advice = title && split > 0 ? w.message.slice(split + 2) : w.message;
    return el('li', {}, el('strong', {}, title || 'Note'), w.page > 0 ? ` (page ${w.page})` : '', '. ',
      capitalised(advice) + (/[.!?]$/.test(advice) ? '' : '.'));
  }));
}

/** The values read too uncertainly to report, folded away: each is more likely misread than right. */
function withheldList(fields) {
  if (!fields || fields.length === 0) return null;
  return el('details', { class: 'withheld' },
    el('summary', {}, fields.length === 1 ? '1 more number, read too uncertainly to trust'
      : `${fields.length} more numbers, read too uncertainly to trust`),
    el('p', {}, 'Each is more likely misread than right: compare it with the paper before you use it.'),
    el('ol', { class: 'fields', 'aria-label': 'Numbers read too uncertainly' }, fields.map((f) => fieldItem(f, '?'))));
}

function showResult(card, fileName, result) {
  const fieldNumbers = result.fields.map((_, i) => i + 1);
  const figures = (result.pages || []).filter((p) => p.preview).map((p) => pageFigure(result, p, fieldNumbers));
  const held = (result.withheld_fields || []).length;
  const summary = result.fields.length === 0
    ? el('p', { class: 'none' }, held > 0 ? 'No number in this file was read surely enough to trust.'
      : 'No receipt number, A-number or account number was found in this file.')
    : el('p', {}, result.fields.length === 1 ? '1 number found.' : `${result.fields.length} numbers found.`);
  const json = el('button', { type: 'button', class: 'download-json' }, 'Download JSON');
  json.addEventListener('click', () => download(`${stemOf(fileName)}.noticescan.json`, 'application/json',
    JSON.stringify(withoutPreviews(result), null, 2) + '\n'));
  const csv = el('button', { type: 'button', class: 'download-csv' }, 'Download CSV');
  csv.addEventListener('click', () => download(`${stemOf(fileName)}.noticescan.csv`, 'text/csv', toCsv(result)));
  const details = el('div', {}, summary,
    el('ol', { class: 'fields', 'aria-label': 'Numbers found' }, result.fields.map((f, i) => fieldItem(f, i + 1))),
    withheldList(result.withheld_fields),
    factsList(result.document || {}), warningsList(result.warnings),
    el('div', { class: 'downloads' }, json, csv));
  card.append(figures.length > 0 ? el('div', { class: 'layout' }, el('div', {}, figures), details) : details);
}

function showError(card, code, message) {
  card.append(el('div', { class: 'error', role: 'alert' },
    el('strong', {}, ERROR_TITLES[code] || 'The file could not be read'), ': ', message));
}

/** Sends one file; resolves with [HTTP status, parsed body or null]. Reports upload progress. */
function post(file, onProgress) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/v1/scan?preview=1');
    request.responseType = 'text';
    request.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    request.upload.addEventListener('load', () => onProgress(null));
    request.addEventListener('load', () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { body = null; }
      resolve([request.status, body]);
    });
    request.addEventListener('error', () => resolve([0, null]));
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

async function scan(file, card) {
  const status = card.querySelector('.status');
  const text = status.querySelector('.status-text');
  const bar = status.querySelector('progress');
  text.textContent = 'Sending...';
  const [code, body] = await post(file, (share) => {
    if (share === null) {
      text.textContent = 'Reading the notice...';
      bar.removeAttribute('value');  // indeterminate while the server reads
    } else {
      bar.value = share;
    }
  });
  status.remove();
  card.setAttribute('aria-busy', 'false');
  if (code === 0) {
    showError(card, 'internal', 'the server did not answer: check that noticescan serve is still running');
  } else if (body && body.status === 'ok') {
    showResult(card, file.name, body);
  } else if (body && body.error) {
    showError(card, body.error.code, body.error.message);
  } else {
    showError(card, 'internal', `the server answered HTTP ${code}`);
  }
  card.dataset.state = 'done';
}

// Files are read one after another: the server has a few scanners and a queue, not more.
let queue = Promise.resolve();

function addFiles(files) {
  const results = document.getElementById('results');
  for (const file of files) {
    const card = el('article', { class: 'doc', 'aria-busy': 'true', 'data-state': 'working' },
      el('h2', {}, file.name),
      el('p', { class: 'status' }, el('span', { class: 'status-text' }, 'Waiting for its turn...'),
        el('progress', { max: 1, value: 0, 'aria-label': `Progress of ${file.name}` })));
    results.append(card);
    queue = queue.then(() => scan(file, card));
  }
}

document.addEventListener('DOMContentLoaded', () => {
  const input = document.getElementById('file');
  const drop = document.getElementById('drop');
  input.addEventListener('change', () => {
    addFiles([...input.files]);
    input.value = '';
  });
  // A file dropped beside the box would make the browser leave the page to show it.
  for (const type of ['dragover', 'drop']) window.addEventListener(type, (e) => e.preventDefault());
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('dragging');
    addFiles([...e.dataTransfer.files]);
  });
});
