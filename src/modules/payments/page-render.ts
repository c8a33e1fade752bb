// The hosted pages' HTML (CONTRACT §6.3): server-rendered, no external assets, no JavaScript.
// Everything echoed is escaped and isolated in <bdi> (a name with RTL marks cannot reorder the
// text around it). One inline stylesheet, allowed by its hash in a strict Content-Security-Policy.
import { createHash } from 'node:crypto'
import { TEST_CARDS, type CardErrors, type CardField } from './cards.js'
import { formatAmount } from './money.js'
import { PAGE_PATHS, pagePath } from './page-urls.js'
import { PAGE_TEXT, type Language, type PageText } from './page-text.js'
import type { PaymentRow } from './store.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
/** Text from a caller, escaped and direction-isolated. */
const echo = (text: string): string => `<bdi>${escapeHtml(text)}</bdi>`

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Tahoma,Arial,sans-serif;background:#f3f5f8;color:#1c2430}
main{max-width:34rem;margin:0 auto;padding:1rem}
.banner{background:#fff4d6;border:1px solid #f0c85a;border-radius:.5rem;padding:.5rem .75rem;font-size:.875rem;margin:0 0 1rem}
.card{background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:1.25rem 1.5rem;margin-bottom:1rem}
h1{font-size:1.35rem;margin:0 0 .75rem}
h2{font-size:1.05rem;margin:0 0 .5rem}
.merchant{color:#566173;margin:0}
.amount{font-size:2rem;font-weight:700;margin:.25rem 0 .75rem}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem;margin:0 0 .75rem}
dt{color:#566173}
dd{margin:0;overflow-wrap:anywhere}
form{margin:0}
label{display:block;font-weight:600;margin:.85rem 0 .25rem}
input{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #aab3c0;border-radius:.4rem;direction:ltr}
input[dir=auto]{direction:unset}
.note{color:#566173;font-size:.9rem;margin:.25rem 0 0}
.saved{background:#eef4fb;border-radius:.4rem;padding:.5rem .75rem;margin:1rem 0 0;font-size:.9rem}
input[aria-invalid=true]{border-color:#c62828;background:#fff5f5}
.row{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem;align-items:start}
@media (max-width:26rem){.row{grid-template-columns:1fr}}
.hint{font-weight:400;color:#566173}
.error{color:#c62828;font-size:.9rem;margin:.25rem 0 0}
.alert{background:#fdecea;border:1px solid #f5b7b1;color:#8e1c14;border-radius:.4rem;padding:.5rem .75rem;margin:0 0 .5rem}
.buttons{display:flex;gap:.75rem;margin-top:1.25rem}
button,.button{flex:1;font:inherit;font-weight:600;padding:.7rem 1rem;border-radius:.4rem;border:1px solid transparent;cursor:pointer;text-align:center;text-decoration:none}
.primary{background:#0b6bcb;color:#fff}
.primary:hover{background:#0959a9}
.secondary{background:#fff;color:#1c2430;border-color:#aab3c0}
.danger{background:#fff;color:#c62828;border-color:#c62828}
button:focus-visible,.button:focus-visible,input:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
table{width:100%;border-collapse:collapse;font-size:.9rem}
th,td{text-align:start;padding:.35rem .25rem;border-bottom:1px solid #e3e7ed;vertical-align:top}
code{font-family:ui-monospace,Menlo,Consolas,monospace;direction:ltr;unicode-bidi:isolate;white-space:nowrap}
.ok{color:#1b7a3a}
.ko{color:#c62828}
`.trim()

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`

/**
 * The pages' Content-Security-Policy: nothing loads but the one stylesheet; forms post only to the
 * mock and to the merchant origins they redirect to (browsers apply form-action to the redirect).
 */
export function contentSecurityPolicy (formTargets: readonly string[] = []): string {
  const targets = ["'self'", ...new Set(formTargets)].join(' ')
  return `default-src 'none'; style-src ${STYLE_HASH}; img-src 'none'; form-action ${targets}; base-uri 'none'`
}

/** The merchant origins a page's forms may end up at (its success and failure URLs). */
export function merchantOrigins (payment: PaymentRow): string[] {
  const origins: string[] = []
  for (const url of [payment.successUrl, payment.failureUrl]) {
    if (url !== null) origins.push(new URL(url).origin)
  }
  return origins
}

function layout (t: PageText, lang: Language, title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="${lang}" dir="${t.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
${head}<style>${STYLE}</style>
</head>
<body>
<main>
<p class="banner" role="note">${t.testBanner}</p>
${body}
</main>
</body>
</html>
`
}

/** The merchant, the amount and one list of details: order, note, then `rows` (already HTML). */
function summary (t: PageText, payment: PaymentRow, merchantName: string, rows = ''): string {
  const note = payment.note === null || payment.note === '' ? '' : `<dt>${t.note}</dt><dd>${echo(payment.note)}</dd>`
  // The amount reads left to right even on the Arabic page ("123.10 QAR"), placed at its start.
  return `<p class="merchant">${t.merchant}: ${echo(merchantName)}</p>
<p class="amount"><bdi dir="ltr">${formatAmount(payment.amountMilli)} ${escapeHtml(payment.currency)}</bdi></p>
<dl><dt>${t.orderId}</dt><dd>${echo(payment.orderId)}</dd>${note}${rows}</dl>`
}

export interface CardFormValues {
  card_number?: string | undefined
  expiry?: string | undefined
  holder_name?: string | undefined
}

function field (t: PageText, name: CardField, label: string, autocomplete: string, errors: CardErrors, value: string, extra: string, hint = '', note = ''): string {
  const error = errors[name]
  const id = `f-${name}`
  // The first field in error takes the focus: no JavaScript needed to land on what to fix.
  const focus = error !== undefined && Object.keys(errors)[0] === name ? ' autofocus' : ''
  const describedBy = error === undefined ? (note === '' ? '' : ` aria-describedby="${id}-note"`) : ` aria-invalid="true" aria-describedby="${id}-error"${focus}`
  const message = error === undefined
    ? (note === '' ? '' : `<p class="note" id="${id}-note">${note}</p>`)
    : `<p class="error" id="${id}-error">${t.errors[error]}</p>`
  return `<label for="${id}">${label}${hint === '' ? '' : ` <span class="hint">(${hint})</span>`}</label>
<input id="${id}" name="${name}" autocomplete="${autocomplete}" value="${escapeHtml(value)}" required${extra}${describedBy}>
${message}`
}

function testCardTable (t: PageText, lang: Language): string {
  const rows = TEST_CARDS.map((c) => `<tr><td><code>${c.number.replace(/(\d{4})(?=\d)/g, '$1 ')}</code></td><td>${c.label[lang]}</td></tr>`).join('\n')
  return `<section class="card" aria-labelledby="test-cards">
<h2 id="test-cards">${t.testCards}</h2>
<p>${t.testCardsIntro}</p>
<table>
<thead><tr><th scope="col">${t.cardColumn}</th><th scope="col">${t.outcomeColumn}</th></tr></thead>
<tbody>
${rows}
<tr><td>${t.anyOtherCard}</td><td>${t.approved}</td></tr>
<tr><td>${t.cancelButton}</td><td>${t.cancelOutcome}</td></tr>
</tbody>
</table>
</section>`
}

/** The card form (CONTRACT §6.3), with inline errors after a bad submission. */
export function renderPaymentPage (payment: PaymentRow, merchantName: string, prefix = '', errors: CardErrors = {}, values: CardFormValues = {}): string {
  const lang = payment.language
  const t = PAGE_TEXT[lang]
  const action = escapeHtml(prefix + pagePath(PAGE_PATHS.payment, payment.paymentId))
  const invalid = Object.keys(errors).length > 0
  const alert = invalid ? `<p class="alert" role="alert">${t.fixErrors}</p>\n` : ''
  const saveNotice = payment.saveToken ? `<p class="saved">${t.saveCard(echo(merchantName))}</p>\n` : ''
  const body = `<section class="card" aria-labelledby="pay-title">
<h1 id="pay-title">${t.title}</h1>
${summary(t, payment, merchantName)}
</section>
<section class="card">
<form method="post" action="${action}" novalidate>
${alert}${field(t, 'card_number', t.cardNumber, 'cc-number', errors, values.card_number ?? '', ' inputmode="numeric" maxlength="23" spellcheck="false"')}
<div class="row">
<div>${field(t, 'expiry', t.expiry, 'cc-exp', errors, values.expiry ?? '', ' inputmode="numeric" maxlength="7" placeholder="MM/YY"', t.expiryHint)}</div>
<div>${field(t, 'cvv', t.cvv, 'cc-csc', errors, '', ' inputmode="numeric" maxlength="4" type="password"', '', invalid ? t.cvvAgain : '')}</div>
</div>
${field(t, 'holder_name', t.holderName, 'cc-name', errors, values.holder_name ?? '', ' maxlength="100" spellcheck="false" dir="auto"')}
${saveNotice}<div class="buttons">
<button type="submit" name="action" value="pay" class="primary">${t.pay}</button>
<button type="submit" name="action" value="cancel" class="secondary" formnovalidate>${t.cancel}</button>
</div>
</form>
</section>
${testCardTable(t, lang)}`
  return layout(t, lang, `${t.title} · ${merchantName}`, body)
}

/** The mock bank's 3-D Secure step: Approve or Fail. */
export function renderThreeDsPage (payment: PaymentRow, merchantName: string, prefix = ''): string {
  const lang = payment.language
  const t = PAGE_TEXT[lang]
  const action = escapeHtml(prefix + pagePath(PAGE_PATHS.threeDs, payment.paymentId))
  const body = `<section class="card" aria-labelledby="tds-title">
<p class="merchant">${t.threeDsBank}</p>
<h1 id="tds-title">${t.threeDsTitle}</h1>
<p>${t.threeDsIntro}</p>
${summary(t, payment, merchantName, `<dt>${t.card}</dt><dd><code>${escapeHtml(payment.cardType ?? '')} •••• ${escapeHtml(payment.last4Digits ?? '')}</code></dd>`)}
<form method="post" action="${action}">
<div class="buttons">
<button type="submit" name="action" value="approve" class="primary">${t.approve}</button>
<button type="submit" name="action" value="fail" class="danger">${t.fail}</button>
</div>
</form>
</section>`
  return layout(t, lang, `${t.threeDsTitle} · ${t.threeDsBank}`, body)
}

/** The outcome's rows for summary(): status, transaction, authorisation and response code. */
function outcomeRows (t: PageText, payment: PaymentRow): string {
  const rows: string[] = [
    `<dt>${t.statusLabel}</dt><dd><strong>${t.status[payment.status]}</strong></dd>`,
    `<dt>${t.transactionId}</dt><dd><code>${escapeHtml(payment.transactionId ?? '')}</code></dd>`,
  ]
  if (payment.authCode !== null) rows.push(`<dt>${t.authCode}</dt><dd><code>${escapeHtml(payment.authCode)}</code></dd>`)
  const code = payment.responseCode ?? ''
  const description = t.descriptions[code] ?? payment.description ?? ''
  rows.push(`<dt>${t.responseCode}</dt><dd><code>${escapeHtml(code)}</code> ${escapeHtml(description)}</dd>`)
  return rows.join('')
}

/**
 * The success interstitial at /Pay/Success (CONTRACT §6.3). With a merchant URL it forwards after
 * `delayMs` by a meta refresh (no JavaScript), rounded up to whole seconds, as browsers read it;
 * with `delayMs` undefined (the browser was already sent back once) it only links there.
 */
export function renderSuccessPage (payment: PaymentRow, merchantName: string, backUrl: string | undefined, delayMs: number | undefined): string {
  const lang = payment.language
  const t = PAGE_TEXT[lang]
  const seconds = Math.ceil((delayMs ?? 0) / 1000)
  const forward = backUrl !== undefined && delayMs !== undefined
  const head = forward ? `<meta http-equiv="refresh" content="${seconds};url=${escapeHtml(backUrl)}">\n` : ''
  const next = backUrl === undefined
    ? `<p>${t.successStay}</p>`
    : `${forward ? `<p>${t.successRedirect(seconds)}</p>\n` : ''}<div class="buttons"><a class="button primary" href="${escapeHtml(backUrl)}">${forward ? t.continue : t.returnToMerchant}</a></div>`
  const body = `<section class="card" aria-labelledby="result-title">
<h1 id="result-title" class="ok">${t.successTitle}</h1>
${summary(t, payment, merchantName, outcomeRows(t, payment))}
${next}
</section>`
  return layout(t, lang, t.successTitle, body, head)
}

/**
 * A finished payment's page: its result, whether the browser landed here after paying (no merchant
 * URL to go back to) or came back to pay again (another tab, the back button) — never a form.
 */
export function renderFinishedPage (payment: PaymentRow, merchantName: string, backUrl: string | undefined): string {
  const lang = payment.language
  const t = PAGE_TEXT[lang]
  const expired = payment.responseCode === '102'
  const title = expired ? t.expiredTitle : payment.status === 'SUCCESS' ? t.successTitle : t.failedTitle
  const intro = expired ? `<p>${t.expiredIntro}</p>` : `<p>${t.finishedIntro}</p>`
  const back = backUrl === undefined ? '' : `<div class="buttons"><a class="button secondary" href="${escapeHtml(backUrl)}">${t.returnToMerchant}</a></div>`
  const body = `<section class="card" aria-labelledby="result-title">
<h1 id="result-title" class="${payment.status === 'SUCCESS' ? 'ok' : 'ko'}">${title}</h1>
${intro}
${summary(t, payment, merchantName, outcomeRows(t, payment))}
${back}
</section>`
  return layout(t, lang, title, body)
}

/** Unknown or malformed paymentID: a 404 page (in both languages: the payment's is unknown). */
export function renderNotFoundPage (): string {
  const en = PAGE_TEXT.en
  const ar = PAGE_TEXT.ar
  const body = `<section class="card" aria-labelledby="nf-title">
<h1 id="nf-title">${en.notFoundTitle}</h1>
<p>${en.notFoundIntro}</p>
</section>
<section class="card" lang="ar" dir="rtl">
<h2>${ar.notFoundTitle}</h2>
<p>${ar.notFoundIntro}</p>
</section>`
  return layout(en, 'en', en.notFoundTitle, body)
}
