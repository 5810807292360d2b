import AuthAPI
import ChatbotAPI
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Platform
import RestaurantAPI

/// One problem code as the error table shows it.
struct ProblemCode: Sendable, Equatable {
    let code: String
    let status: Int
    /// Who answers it: modules by name, else the part of the system.
    let answeredBy: [String]
    let meaning: String
}

/// Every problem code Banyan can answer, with its status and meaning: the
/// source of `docs/errors.md` and `/docs/errors` (`ErrorTable`).
///
/// Module errors come from the error kit itself: each module's `Kind` list
/// gives the codes and statuses, so a new kind appears here without a word
/// from anyone, and `ErrorTableTests` fails until it has a meaning. The
/// codes the platform and the gateway answer outside a module error are
/// listed in `edge`; `ErrorTableTests` scans the sources for problem
/// literals and fails on any code missing here, or listed with another status.
enum ProblemCatalog {
    /// Every code once, by code.
    static var codes: [ProblemCode] {
        var byCode: [String: ProblemCode] = [:]
        for entry in moduleCodes + edge {
            if let known = byCode[entry.code] {
                precondition(known.status == entry.status, "\(entry.code) is answered with two statuses")
                byCode[entry.code] = ProblemCode(
                    code: entry.code, status: entry.status, answeredBy: known.answeredBy + entry.answeredBy,
                    meaning: known.meaning)
            } else {
                byCode[entry.code] = entry
            }
        }
        return byCode.values.sorted { $0.code < $1.code }
    }

    /// Each module's error kinds: (module, code, status), straight from the kit.
    static let moduleKinds: [(module: String, code: String, status: Int)] = [
        kinds("auth", AuthError.Kind.self), kinds("chatbot", ChatbotError.Kind.self),
        kinds("inventory", InventoryError.Kind.self), kinds("orders", OrdersError.Kind.self),
        kinds("payments", PaymentsError.Kind.self), kinds("restaurant", RestaurantError.Kind.self),
        shared.map { (module: "every module", code: $0.problem.code, status: $0.problem.status) },
    ].flatMap { $0 }

    /// The platform's errors any module call can end in.
    private static let shared: [any ProblemConvertible] = [
        AccessDenied(needed: .cashier), ModuleUnavailable(module: "", reason: ""), ModuleBusy(module: ""),
        DeadlineExceeded(),
    ]

    private static func kinds<Kind: ModuleErrorKind>(
        _ module: String, _: Kind.Type
    ) -> [(module: String, code: String, status: Int)] {
        Kind.allCases.map { (module: module, code: $0.rawValue, status: $0.status) }
    }

    private static var moduleCodes: [ProblemCode] {
        moduleKinds.map { kind in
            ProblemCode(
                code: kind.code, status: kind.status, answeredBy: [kind.module],
                meaning: meanings[kind.code] ?? "")
        }
    }

    /// What a module error means, by code (one meaning where modules share a code).
    static let meanings: [String: String] = [
        "already_cancelled": "The order is already cancelled.",
        "already_refunded": "The payment was already refunded.",
        "card_declined": "The card was declined; a failed order (`payment_failed`) is kept, see `order_id`.",
        "charge_in_progress": "A charge with that idempotency key is still running; retry shortly with the same key.",
        "deadline_exceeded": "The request's deadline passed before the work began; nothing was done.",
        "idempotency_key_reused": "An idempotency key was sent again with a different request.",
        "insufficient_funds": "The card has insufficient funds; a failed order (`payment_failed`) is kept.",
        "insufficient_role": "The caller's role is too low for this action; `needed_role` names the one needed.",
        "insufficient_stock": "A stock adjustment would take the stock below zero.",
        "invalid_credentials": "Unknown user or wrong password (the two are not told apart).",
        "menu_item_exists": "The restaurant already has a live menu item with that name, ignoring case and surrounding spaces.",
        "menu_item_not_found": "No such menu item in this restaurant (or it was deleted).",
        "module_busy": "This process already has as many calls in flight to that module as it allows; retry shortly.",
        "module_unavailable": "The module did not answer; whether a write happened is unknown: retry with the same key.",
        "not_cancellable": "Only completed orders can be cancelled.",
        "not_refundable": "Only captured payments can be refunded.",
        "order_not_found": "No such order in this restaurant.",
        "out_of_stock": "Not enough stock for the items in `items`; no order was made and no number used.",
        "payment_not_found": "No such payment.",
        "processor_unavailable": "The card processor did not answer; nothing was charged. Retry with the same key.",
        "reservation_not_found": "No stock reservation with that key.",
        "reservation_released": "The reservation was released; its stock is no longer held.",
        "self_modification": "You cannot change your own role or deactivate yourself.",
        "tenant_exists": "A restaurant (tenant) with that id already exists.",
        "ticket_already_done": "The kitchen ticket is already done.",
        "ticket_not_found": "No such kitchen ticket.",
        "unknown_items": "Some menu items in `items` do not exist or are not available now.",
        "user_disabled": "The user has been disabled.",
        "user_not_found": "No such user in this restaurant.",
        "username_taken": "That username is already taken in this restaurant.",
        "validation_failed": "A field is missing, of the wrong type or not valid; `detail` names the field.",
    ]

    /// The codes answered outside a module error: the HTTP server's, the
    /// gateway's pipeline and routes', and the module services' own edge.
    static let edge: [ProblemCode] = [
        ProblemCode(
            code: "actor_required", status: 400, answeredBy: ["flags control"],
            meaning: "A flags change must name who makes it in `x-banyan-actor`."),
        ProblemCode(
            code: "body_too_large", status: 413, answeredBy: ["HTTP server"],
            meaning: "The request body is larger than the server accepts."),
        ProblemCode(
            code: "context_mismatch", status: 403, answeredBy: ["module services"],
            meaning: "`x-user-id` or `x-role` differ from what the service token was signed for."),
        ProblemCode(
            code: "database_unavailable", status: 503, answeredBy: ["gateway"],
            meaning: "The database is not answering; try again shortly."),
        ProblemCode(
            code: "event_not_found", status: 404, answeredBy: ["ops"],
            meaning: "No parked event with that module and id."),
        ProblemCode(
            code: "flags_file_missing", status: 409, answeredBy: ["flags control"],
            meaning: "There is no flags.json to replace; the control plane only edits an existing file."),
        ProblemCode(
            code: "flags_unreadable", status: 503, answeredBy: ["flags control"],
            meaning: "flags.json cannot be read."),
        ProblemCode(
            code: "flags_unwritable", status: 503, answeredBy: ["flags control"],
            meaning: "flags.json was not written; nothing changed."),
        ProblemCode(
            code: "flip_refused", status: 409, answeredBy: ["flags control"],
            meaning: "The service gate refused the routing change (a service is not ready or not compatible)."),
        ProblemCode(
            code: "header_too_large", status: 431, answeredBy: ["HTTP server"],
            meaning: "A request header, or all of them, are larger than the server accepts."),
        ProblemCode(
            code: "http_version_not_supported", status: 505, answeredBy: ["HTTP server"],
            meaning: "Only HTTP/1.0 and HTTP/1.1 are spoken."),
        ProblemCode(
            code: "internal_error", status: 500, answeredBy: ["gateway", "module services"],
            meaning: "An unexpected error; the request's trace id is in the logs."),
        ProblemCode(
            code: "invalid_deadline", status: 400, answeredBy: ["module services"],
            meaning: "`x-deadline` is not unix milliseconds."),
        ProblemCode(
            code: "invalid_flags", status: 422, answeredBy: ["flags control"],
            meaning: "The document is not a valid flags.json; `field` names what is wrong."),
        ProblemCode(
            code: "invalid_query", status: 400, answeredBy: ["gateway"],
            meaning: "A query parameter is not acceptable; `parameter` names it."),
        ProblemCode(
            code: "invalid_role", status: 400, answeredBy: ["module services"],
            meaning: "`x-role` is not a role."),
        ProblemCode(
            code: "invalid_source", status: 400, answeredBy: ["flags control"],
            meaning: "`x-banyan-source` must be `cli` or `api`."),
        ProblemCode(
            code: "invalid_tenant", status: 400, answeredBy: ["gateway", "module services"],
            meaning: "`x-tenant-id` is not a valid tenant id."),
        ProblemCode(
            code: "invalid_token", status: 401, answeredBy: ["gateway", "module services"],
            meaning: "The bearer token is not valid (bad signature, malformed, or for another module)."),
        ProblemCode(
            code: "malformed_json", status: 400, answeredBy: ["gateway"],
            meaning: "The request body is not a JSON object."),
        ProblemCode(
            code: "malformed_request", status: 400, answeredBy: ["HTTP server"],
            meaning: "The request cannot be read as HTTP (e.g. a path that is not valid percent-encoded UTF-8)."),
        ProblemCode(
            code: "message_too_long", status: 413, answeredBy: ["chat"],
            meaning: "A chat message is longer than one message can be."),
        ProblemCode(
            code: "method_not_allowed", status: 405, answeredBy: ["gateway", "module services"],
            meaning: "The path exists but not with this method; `Allow` lists the ones it takes."),
        ProblemCode(
            code: "missing_tenant", status: 400, answeredBy: ["gateway", "module services"],
            meaning: "The call must name its restaurant in `x-tenant-id`."),
        ProblemCode(
            code: "missing_token", status: 401, answeredBy: ["gateway", "module services"],
            meaning: "The call needs `Authorization: Bearer <token>`."),
        ProblemCode(
            code: "not_found", status: 404, answeredBy: ["gateway", "module services"],
            meaning: "No such endpoint."),
        ProblemCode(
            code: "not_ready", status: 503, answeredBy: ["gateway", "module services"],
            meaning: "The process is not ready yet (its database is not answering)."),
        ProblemCode(
            code: "precondition_required", status: 428, answeredBy: ["flags control"],
            meaning: "A flags change must send `If-Match` with the version it read."),
        ProblemCode(
            code: "reason_required", status: 422, answeredBy: ["flags control"],
            meaning: "A flags change must say why in `reason`."),
        ProblemCode(
            code: "request_timeout", status: 408, answeredBy: ["HTTP server"],
            meaning: "The request did not arrive in time."),
        ProblemCode(
            code: "server_busy", status: 503, answeredBy: ["HTTP server"],
            meaning: "Too many connections or requests waiting; retry shortly."),
        ProblemCode(
            code: "shutting_down", status: 503, answeredBy: ["HTTP server"],
            meaning: "The instance is stopping (its readiness check answers this); send requests to another."),
        ProblemCode(
            code: "stock_not_tracked", status: 404, answeredBy: ["inventory routes"],
            meaning: "Stock is not tracked for that item; it is always available."),
        ProblemCode(
            code: "tenant_mismatch", status: 403, answeredBy: ["gateway", "module services"],
            meaning: "The token belongs to another restaurant than `x-tenant-id`."),
        ProblemCode(
            code: "token_body_mismatch", status: 401, answeredBy: ["module services"],
            meaning: "The service token was signed for another request body."),
        ProblemCode(
            code: "token_expired", status: 401, answeredBy: ["gateway", "module services"],
            meaning: "The token has expired; log in again."),
        ProblemCode(
            code: "token_revoked", status: 401, answeredBy: ["gateway"],
            meaning: "The user's access changed since the token was issued; log in again."),
        ProblemCode(
            code: "token_wrong_operation", status: 401, answeredBy: ["module services"],
            meaning: "The service token was signed for another operation."),
        ProblemCode(
            code: "too_many_attempts", status: 429, answeredBy: ["login"],
            meaning: "Too many failed logins for this user or from this address; wait `retry_after` seconds."),
        ProblemCode(
            code: "too_many_headers", status: 431, answeredBy: ["HTTP server"],
            meaning: "The request has more header fields than the server accepts."),
        ProblemCode(
            code: "too_many_logins", status: 429, answeredBy: ["login"],
            meaning: "Too many logins at once; try again in a moment."),
        ProblemCode(
            code: "unknown_operation", status: 404, answeredBy: ["module services"],
            meaning: "The module has no operation by that name."),
        ProblemCode(
            code: "unsupported_media_type", status: 415, answeredBy: ["gateway"],
            meaning: "The body must be sent as `application/json`."),
        ProblemCode(
            code: "validation_failed", status: 422, answeredBy: ["gateway"],
            meaning: "A field is missing, of the wrong type or not valid; `detail` names the field."),
        ProblemCode(
            code: "version_mismatch", status: 412, answeredBy: ["flags control"],
            meaning: "flags.json changed since it was read: read it again, preview, retry."),
    ]
}
