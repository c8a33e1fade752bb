// The hosted pages (CONTRACT §6.3): the card form, the 3-D Secure step, the /Pay/Success
// interstitial and the way back to the merchant. HTML for people; every redirect is a 303 to a GET.
// Pages are never cached, so the back button shows a payment's current state, not a stale form.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { commonErrorResponses } from '../../http/responses.js'
import type { CardInput } from './cards.js'
import { PAGE_PATHS, pagePath, pathPrefix } from './page-urls.js'
import {
  contentSecurityPolicy, merchantOrigins, renderFinishedPage, renderNotFoundPage, renderPaymentPage, renderSuccessPage, renderThreeDsPage,
} from './page-render.js'
import type { PaymentsService, PayResult } from './service.js'
import type { PaymentRow } from './store.js'

export interface PageRoutesOptions {
  payments: PaymentsService
  merchantName: (merchantId: number) => string
  successPageMs: number
  /** PUBLIC_URL, whose path (if any) prefixes every page link: a proxy may serve the mock below a path. */
  publicUrl: string | undefined
}

const PageQuerySchema = Type.Object({
  paymentID: Type.Optional(Type.String({ description: '22 upper-case letters and digits, from checkout_url', examples: ['K7Q2M9X4TB3N8R1W5C6VK7'] })),
})
// The forms, for OpenAPI only: a page reads what a browser sends leniently (formOf), never with a
// validation error, so these schemas document and do not validate.
const CardFormSchema = Type.Object({
  action: Type.Union([Type.Literal('pay'), Type.Literal('cancel')], { description: 'The button pressed' }),
  card_number: Type.Optional(Type.String({ examples: ['4111 1111 1111 1111'] })),
  expiry: Type.Optional(Type.String({ description: 'MM/YY', examples: ['12/30'] })),
  cvv: Type.Optional(Type.String({ examples: ['123'] })),
  holder_name: Type.Optional(Type.String({ examples: ['Card Holder'] })),
})
const ThreeDsFormSchema = Type.Object({
  action: Type.Union([Type.Literal('approve'), Type.Literal('fail')], { description: 'The button pressed' }),
})
const documentOnly = { validatorCompiler: () => () => true, consumes: ['application/x-www-form-urlencoded'] }
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } })
const redirect = (description: string) => ({ description, type: 'null' })

interface PageRequest { query: { paymentID?: string | undefined } }
type Form = Record<string, string> | undefined

/** A parsed form's text fields; nothing usable from any other body (left unparsed, see below). */
function formOf (body: unknown): Partial<Record<string, string>> {
  if (typeof body !== 'object' || body === null) return {}
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'))
}

function sendHtml (reply: FastifyReply, status: number, body: string, formTargets: readonly string[] = []): FastifyReply {
  return reply.code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', contentSecurityPolicy(formTargets))
    .header('referrer-policy', 'no-referrer')
    .send(body)
}

const seeOther = (reply: FastifyReply, location: string): FastifyReply =>
  reply.code(303).header('cache-control', 'no-store').header('location', location).send()

export async function pageRoutes (app: FastifyInstance, { payments, merchantName, successPageMs, publicUrl }: PageRoutesOptions): Promise<void> {
  const prefix = pathPrefix(publicUrl)
  const at = (path: string, paymentId: string): string => prefix + pagePath(path, paymentId)
  // Browsers post forms as application/x-www-form-urlencoded; repeated fields keep the last value.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body.toString())))
  })
  // A page reads forms only: a JSON body is not a browser's, so it is never parsed (no JSON 400
  // here) and the page answers as for an empty form.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', (_request, _payload, done) => { done(null, undefined) })

  const notFound = (reply: FastifyReply): FastifyReply => sendHtml(reply, 404, renderNotFoundPage())
  const load = async (request: PageRequest): Promise<PaymentRow | undefined> => await payments.forPage(request.query.paymentID ?? '')
  const backPath = (payment: PaymentRow): string | undefined => payments.redirectFor(payment) === undefined ? undefined : at(PAGE_PATHS.back, payment.paymentId)

  /** The page a payment shows now: its form, its 3-D Secure step, or its result. */
  function show (reply: FastifyReply, payment: PaymentRow): FastifyReply {
    const name = merchantName(payment.merchantId)
    if (payment.status === 'PENDING') {
      if (payment.stage === '3ds') return seeOther(reply, at(PAGE_PATHS.threeDs, payment.paymentId))
      return sendHtml(reply, 200, renderPaymentPage(payment, name, prefix), merchantOrigins(payment))
    }
    return sendHtml(reply, 200, renderFinishedPage(payment, name, backPath(payment)))
  }

  /** Where the browser goes once a form was handled. */
  async function after (reply: FastifyReply, result: PayResult, input: CardInput): Promise<FastifyReply> {
    const { payment } = result
    if (result.kind === 'invalid') {
      // Nothing to correct here (a 3-D Secure answer with no step waiting): show where it stands.
      if (payment.stage === '3ds' || Object.keys(result.errors).length === 0) return seeOther(reply, at(PAGE_PATHS.payment, payment.paymentId))
      // 200, as hosted pages answer a typo: a WebView's HTTP-error callback is for real failures.
      return sendHtml(reply, 200, renderPaymentPage(payment, merchantName(payment.merchantId), prefix, result.errors, input), merchantOrigins(payment))
    }
    if (result.kind === '3ds') return seeOther(reply, at(PAGE_PATHS.threeDs, payment.paymentId))
    // Already finished by another tab or an earlier submit: show that, never a second outcome.
    if (!result.now) return seeOther(reply, at(PAGE_PATHS.payment, payment.paymentId))
    const merchantUrl = payments.redirectFor(payment)
    if (payment.status === 'SUCCESS') {
      if (successPageMs > 0 || merchantUrl === undefined) return seeOther(reply, at(PAGE_PATHS.success, payment.paymentId))
      await payments.markReturned(payment)
      return seeOther(reply, merchantUrl)
    }
    return seeOther(reply, merchantUrl ?? at(PAGE_PATHS.payment, payment.paymentId))
  }

  // Pages are for a card holder's browser: no credential at all (security: [] says so).
  const pageSchema = (operationId: string, summary: string, description: string, responses: Record<number, object>) => ({
    operationId,
    tags: ['payment pages'],
    security: [],
    summary,
    description,
    querystring: PageQuerySchema,
    // A page reads the database: while it is unavailable the answer is the 503 envelope.
    response: { ...responses, 503: commonErrorResponses[503] },
  })

  app.get<{ Querystring: { paymentID?: string } }>(PAGE_PATHS.payment, {
    schema: pageSchema('paymentPage', 'Hosted payment page', "Fatora's path. The card form (English or Arabic per checkout's language), or the payment's result once finished. Test cards choose the outcome.", {
      200: html('The card form, or the finished payment'),
      303: redirect('To the 3-D Secure step when it is waiting'),
      404: html('Unknown or malformed paymentID'),
    }),
  }, async (request, reply) => {
    const payment = await load(request)
    return payment === undefined ? notFound(reply) : show(reply, payment)
  })

  // Forms are read leniently (what a browser sends, any field missing or repeated): a page
  // answers in HTML, never with an API validation error.
  app.post<{ Querystring: { paymentID?: string }, Body: Form }>(PAGE_PATHS.payment, {
    validatorCompiler: documentOnly.validatorCompiler,
    schema: {
      ...pageSchema('submitPaymentPage', 'Submit the card form', 'A browser form (application/x-www-form-urlencoded): `action` `pay` (the test card in `card_number`, `expiry` MM/YY, `cvv`, `holder_name` decides) or `cancel`. Bad card input shows the form again with each field\'s error and changes nothing.', {
        200: html('The form again, with the errors'),
        303: redirect('To /Pay/Success, the 3-D Secure step, or the merchant\'s failure_url with the result'),
        404: html('Unknown or malformed paymentID'),
      }),
      body: CardFormSchema,
      consumes: documentOnly.consumes
    },
  }, async (request, reply) => {
    const paymentId = request.query.paymentID ?? ''
    const payment = await payments.forPage(paymentId)
    if (payment === undefined) return notFound(reply)
    const form = formOf(request.body)
    if (form.action !== 'pay' && form.action !== 'cancel') return seeOther(reply, at(PAGE_PATHS.payment, paymentId))
    const input: CardInput = { card_number: form.card_number, expiry: form.expiry, cvv: form.cvv, holder_name: form.holder_name }
    const result = form.action === 'cancel' ? await payments.cancel(paymentId) : await payments.pay(paymentId, input)
    return await after(reply, result, input)
  })

  app.get<{ Querystring: { paymentID?: string } }>(PAGE_PATHS.threeDs, {
    schema: pageSchema('threeDsPage', '3-D Secure step', "The mock bank's page: Approve or Fail (ours; reached with the 3-D Secure test card).", {
      200: html('Approve or Fail'),
      303: redirect('To the payment page when no 3-D Secure step is waiting'),
      404: html('Unknown or malformed paymentID'),
    }),
  }, async (request, reply) => {
    const payment = await load(request)
    if (payment === undefined) return notFound(reply)
    if (payment.status !== 'PENDING' || payment.stage !== '3ds') return seeOther(reply, at(PAGE_PATHS.payment, payment.paymentId))
    return sendHtml(reply, 200, renderThreeDsPage(payment, merchantName(payment.merchantId), prefix), merchantOrigins(payment))
  })

  app.post<{ Querystring: { paymentID?: string }, Body: Form }>(PAGE_PATHS.threeDs, {
    validatorCompiler: documentOnly.validatorCompiler,
    schema: {
      ...pageSchema('submitThreeDsPage', 'Submit the 3-D Secure step', 'A browser form: `action` `approve` (the payment succeeds, 000) or `fail` (it fails, 101 Authentication failed).', {
        303: redirect('To /Pay/Success, the merchant\'s failure_url, or back to the payment page when no step is waiting'),
        404: html('Unknown or malformed paymentID'),
      }),
      body: ThreeDsFormSchema,
      consumes: documentOnly.consumes
    },
  }, async (request, reply) => {
    const paymentId = request.query.paymentID ?? ''
    if (await payments.forPage(paymentId) === undefined) return notFound(reply)
    const { action } = formOf(request.body)
    if (action !== 'approve' && action !== 'fail') return seeOther(reply, at(PAGE_PATHS.threeDs, paymentId))
    const result = await payments.threeDs(paymentId, action === 'approve')
    return await after(reply, result, {})
  })

  app.get<{ Querystring: { paymentID?: string } }>(PAGE_PATHS.success, {
    schema: pageSchema('successPage', 'Success interstitial', 'Fatora\'s success page (WebView code watches for Pay/Success): shows the result, then forwards to success_url after SUCCESS_PAGE_MS (a meta refresh; no JavaScript).', {
      200: html('Payment successful'),
      303: redirect('To the payment page when the payment did not succeed'),
      404: html('Unknown or malformed paymentID'),
    }),
  }, async (request, reply) => {
    const payment = await load(request)
    if (payment === undefined) return notFound(reply)
    if (payment.status !== 'SUCCESS') return seeOther(reply, at(PAGE_PATHS.payment, payment.paymentId))
    // Forwards once: coming back (the back button) shows the result with a link, not another redirect.
    return sendHtml(reply, 200, renderSuccessPage(payment, merchantName(payment.merchantId), backPath(payment), payment.returnedAt === null ? successPageMs : undefined))
  })

  app.get<{ Querystring: { paymentID?: string } }>(PAGE_PATHS.back, {
    schema: pageSchema('returnToMerchant', 'Back to the merchant', "A 303 to the merchant's success_url or failure_url with the redirect parameters (ours: the interstitial's and result pages' way back).", {
      303: redirect("To the merchant's URL, or to the payment page when there is none or it is not finished"),
      404: html('Unknown or malformed paymentID'),
    }),
  }, async (request, reply) => {
    const payment = await load(request)
    if (payment === undefined) return notFound(reply)
    const url = payment.status === 'PENDING' ? undefined : payments.redirectFor(payment)
    if (url === undefined) return seeOther(reply, at(PAGE_PATHS.payment, payment.paymentId))
    await payments.markReturned(payment)
    return seeOther(reply, url)
  })
}
