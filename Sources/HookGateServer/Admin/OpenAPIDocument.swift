import Hummingbird

/// The admin API's OpenAPI 3.1 document (DESIGN.md §8), served at `GET /v1/openapi.yaml`.
///
/// It lives in the binary so a deployed gateway always serves the document of its own version; a test holds it
/// and the registered routes to each other, and CI runs schemathesis against a running gateway with it.
enum OpenAPIDocument {
    static func register(on group: RouterGroup<AdminRequestContext>) {
        group.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: yaml)))
        }
    }

    static let yaml = ##"""
        openapi: 3.1.0
        info:
          title: HookGate admin API
          version: "1"
          description: |
            The admin listener of a HookGate gateway (DESIGN.md §8): inspect events, receipts and deliveries, replay and
            redeliver, manage subscriptions, read the audit log. Every /v1 path needs `Authorization: Bearer <token>`;
            `viewer` tokens may GET, `admin` tokens may do everything. Lists are `{"data": […], "next_cursor": …}`,
            newest first; pass `next_cursor` back as `cursor` for the next page. Times are RFC 3339.
        servers:
          - url: http://127.0.0.1:9090
        security:
          - bearer: []
        paths:
          /healthz:
            get:
              summary: Liveness
              security: []
              responses:
                "200": { description: "The process is up.", content: { application/json: { schema: { $ref: "#/components/schemas/Status" } } } }
          /readyz:
            get:
              summary: Readiness (storage reachable, public listener accepting)
              security: []
              responses:
                "200": { description: "Storage answers and the public listener accepts connections.", content: { application/json: { schema: { $ref: "#/components/schemas/Status" } } } }
                "503": { description: "Storage does not answer (status unavailable), or the public listener is not open yet (status starting).", content: { application/json: { schema: { $ref: "#/components/schemas/Status" } } } }
          /metrics:
            get:
              summary: Prometheus metrics
              security: []
              responses:
                "200": { description: "Prometheus text exposition format.", content: { text/plain: { schema: { type: string } } } }
          /v1/openapi.yaml:
            get:
              summary: This document
              responses:
                "200": { description: "The OpenAPI document.", content: { application/yaml: { schema: { type: object } } } }
                "401": { $ref: "#/components/responses/Unauthorized" }
          /v1/events:
            get:
              summary: List canonical events
              parameters:
                - { name: source, in: query, description: "A source id (stripe).", schema: { type: string } }
                - { name: type, in: query, description: "An exact type, a prefix ending in .* (payment.*), or *.", schema: { type: string } }
                - $ref: "#/components/parameters/since"
                - $ref: "#/components/parameters/until"
                - $ref: "#/components/parameters/limit"
                - $ref: "#/components/parameters/cursor"
              responses:
                "200": { description: "A page of events (CloudEvents).", content: { application/json: { schema: { $ref: "#/components/schemas/EventPage" } } } }
                "400": { $ref: "#/components/responses/BadRequest" }
                "401": { $ref: "#/components/responses/Unauthorized" }
          /v1/events/{id}:
            get:
              summary: One event with its deliveries
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "200":
                  description: The CloudEvent's members plus `deliveries`.
                  content:
                    application/json:
                      schema:
                        allOf:
                          - $ref: "#/components/schemas/Event"
                          - type: object
                            required: [deliveries]
                            properties:
                              deliveries: { type: array, items: { $ref: "#/components/schemas/DeliverySummary" } }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "404": { $ref: "#/components/responses/NotFound" }
          /v1/events/{id}/receipt:
            get:
              summary: The raw receipt the event came from, byte for byte
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "200": { description: "The receipt.", content: { application/json: { schema: { $ref: "#/components/schemas/Receipt" } } } }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "404": { $ref: "#/components/responses/NotFound" }
          /v1/events/{id}/redeliver:
            post:
              summary: Fan the event out again
              description: >
                To the destinations the current routes and subscriptions select, or to the ones named in `targets`. An existing
                delivery is queued again as a new attempt series (same webhook-id); a missing one is made; one with an attempt
                under way is left alone (`in_flight`).
              parameters: [{ $ref: "#/components/parameters/id" }]
              requestBody:
                required: false
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      properties:
                        targets:
                          type: array
                          minItems: 1
                          description: Destination names (target:billing, subscription:sub_…) or bare target ids.
                          items: { type: string }
              responses:
                "202":
                  description: Queued.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [event_id, deliveries]
                        properties:
                          event_id: { type: string }
                          deliveries:
                            type: array
                            items:
                              type: object
                              required: [id, destination, result]
                              properties:
                                id: { type: string }
                                destination: { type: string }
                                result: { type: string, enum: [queued, created, in_flight] }
                "400": { $ref: "#/components/responses/BadRequest" }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "403": { $ref: "#/components/responses/Forbidden" }
                "404": { $ref: "#/components/responses/NotFound" }
          /v1/receipts:
            get:
              summary: Receipts that produced no known event
              description: Without their bodies (`body_bytes` says how large each is); one receipt's body is at `/v1/receipts/{id}`.
              parameters:
                - { name: status, in: query, schema: { type: string, enum: [normalized, unrecognized, unparsed] } }
                - { name: source, in: query, schema: { type: string } }
                - $ref: "#/components/parameters/limit"
                - $ref: "#/components/parameters/cursor"
              responses:
                "200": { description: A page of receipts., content: { application/json: { schema: { $ref: "#/components/schemas/ReceiptPage" } } } }
                "400": { $ref: "#/components/responses/BadRequest" }
                "401": { $ref: "#/components/responses/Unauthorized" }
          /v1/receipts/{id}:
            get:
              summary: One receipt with its body, byte for byte (an unparsed receipt has no event to reach it by)
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "200": { description: "The receipt.", content: { application/json: { schema: { $ref: "#/components/schemas/Receipt" } } } }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "404": { $ref: "#/components/responses/NotFound" }
          /v1/deliveries:
            get:
              summary: List deliveries
              parameters:
                - { name: status, in: query, schema: { type: string, enum: [pending, in_flight, succeeded, failed, dead, cancelled] } }
                - { name: destination, in: query, description: "target:{id} or subscription:{id}.", schema: { type: string } }
                - { name: event_id, in: query, schema: { type: string } }
                - $ref: "#/components/parameters/since"
                - $ref: "#/components/parameters/until"
                - $ref: "#/components/parameters/limit"
                - $ref: "#/components/parameters/cursor"
              responses:
                "200":
                  description: A page of deliveries.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [data, next_cursor]
                        properties:
                          data:
                            type: array
                            items:
                              allOf:
                                - $ref: "#/components/schemas/DeliverySummary"
                                - { type: object, required: [event_id], properties: { event_id: { type: string } } }
                          next_cursor: { $ref: "#/components/schemas/Cursor" }
                "400": { $ref: "#/components/responses/BadRequest" }
                "401": { $ref: "#/components/responses/Unauthorized" }
          /v1/deliveries/{id}:
            get:
              summary: One delivery with every attempt
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "200": { description: "The delivery.", content: { application/json: { schema: { $ref: "#/components/schemas/Delivery" } } } }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "404": { $ref: "#/components/responses/NotFound" }
          /v1/deliveries/{id}/replay:
            post:
              summary: Queue the delivery again now
              description: Same delivery and webhook-id, a new attempt series; the attempt history is kept.
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "202":
                  description: Queued.
                  content:
                    application/json:
                      schema: { type: object, required: [id, status], properties: { id: { type: string }, status: { const: pending } } }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "403": { $ref: "#/components/responses/Forbidden" }
                "404": { $ref: "#/components/responses/NotFound" }
                "409": { $ref: "#/components/responses/Conflict" }
          /v1/replays:
            post:
              summary: Bulk replay by filter
              description: >
                Queues every delivery the filter matches (an attempt under way excepted). Paced per destination: at most its
                max_in_flight at once and its replay_rate per second; live traffic goes first. With `dry_run` only counts.
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [filter]
                      properties:
                        dry_run: { type: boolean }
                        filter:
                          type: object
                          additionalProperties: false
                          minProperties: 1
                          properties:
                            status: { type: string, enum: [pending, succeeded, dead, cancelled] }
                            destination: { type: string, description: "target:{id} or subscription:{id}." }
                            type: { type: string }
                            source: { type: string }
                            since: { type: string, description: "RFC 3339 or a duration before now (2h)." }
                            until: { type: string }
              responses:
                "200": { description: "Dry run: nothing queued.", content: { application/json: { schema: { $ref: "#/components/schemas/ReplayCounts" } } } }
                "202":
                  description: Queued; follow it at the Location.
                  headers: { Location: { schema: { type: string } } }
                  content: { application/json: { schema: { $ref: "#/components/schemas/ReplayCounts" } } }
                "400": { $ref: "#/components/responses/BadRequest" }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "403": { $ref: "#/components/responses/Forbidden" }
          /v1/replays/{id}:
            get:
              summary: A bulk replay's progress
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "200": { description: "Progress.", content: { application/json: { schema: { $ref: "#/components/schemas/Replay" } } } }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "404": { $ref: "#/components/responses/NotFound" }
            delete:
              summary: Cancel what the replay has not sent yet
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "204": { description: "Cancelled; those deliveries are back as they were." }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "403": { $ref: "#/components/responses/Forbidden" }
                "404": { $ref: "#/components/responses/NotFound" }
          /v1/destinations:
            get:
              summary: Targets and active subscriptions with their health
              responses:
                "200": { description: Every destination., content: { application/json: { schema: { $ref: "#/components/schemas/DestinationPage" } } } }
                "401": { $ref: "#/components/responses/Unauthorized" }
          /v1/subscriptions:
            get:
              summary: List subscriptions
              responses:
                "200": { description: Every subscription., content: { application/json: { schema: { $ref: "#/components/schemas/SubscriptionPage" } } } }
                "401": { $ref: "#/components/responses/Unauthorized" }
            post:
              summary: Subscribe an endpoint
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [url, types]
                      properties:
                        url: { type: string, description: "https (http only with subscriptions.allow_private)." }
                        types: { type: array, minItems: 1, items: { type: string } }
                        sources: { type: [array, "null"], items: { type: string } }
                        description: { type: [string, "null"] }
              responses:
                "201":
                  description: Created; the secret is shown only now.
                  content:
                    application/json:
                      schema:
                        allOf:
                          - $ref: "#/components/schemas/Subscription"
                          - { type: object, required: [secret], properties: { secret: { type: string, pattern: "^whsec_" } } }
                "400": { $ref: "#/components/responses/BadRequest" }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "403": { $ref: "#/components/responses/Forbidden" }
          /v1/subscriptions/{id}:
            get:
              summary: One subscription
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "200": { description: "The subscription.", content: { application/json: { schema: { $ref: "#/components/schemas/Subscription" } } } }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "404": { $ref: "#/components/responses/NotFound" }
            patch:
              summary: Change a subscription
              description: '"status": "active" re-enables a disabled subscription; what was pending for it is sent then.'
              parameters: [{ $ref: "#/components/parameters/id" }]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      minProperties: 1
                      properties:
                        url: { type: string }
                        types: { type: array, minItems: 1, items: { type: string } }
                        sources: { type: [array, "null"], items: { type: string } }
                        description: { type: [string, "null"] }
                        status: { type: string, enum: [active, disabled] }
              responses:
                "200": { description: "The subscription as it is now.", content: { application/json: { schema: { $ref: "#/components/schemas/Subscription" } } } }
                "400": { $ref: "#/components/responses/BadRequest" }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "403": { $ref: "#/components/responses/Forbidden" }
                "404": { $ref: "#/components/responses/NotFound" }
            delete:
              summary: Delete a subscription; what was still to be sent to it is cancelled
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "204": { description: "Deleted." }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "403": { $ref: "#/components/responses/Forbidden" }
                "404": { $ref: "#/components/responses/NotFound" }
          /v1/subscriptions/{id}/rotate-secret:
            post:
              summary: A new secret; the old one keeps signing alongside for 24 h
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "200":
                  description: The new secret.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [id, secret, previous_secret_expires_at]
                        properties:
                          id: { type: string }
                          secret: { type: string, pattern: "^whsec_" }
                          previous_secret_expires_at: { type: string, format: date-time }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "403": { $ref: "#/components/responses/Forbidden" }
                "404": { $ref: "#/components/responses/NotFound" }
          /v1/subscriptions/{id}/test:
            post:
              summary: Send a hookgate.test event to this subscription now
              parameters: [{ $ref: "#/components/parameters/id" }]
              responses:
                "202":
                  description: Queued through the normal delivery path.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [event_id, delivery_id]
                        properties:
                          event_id: { type: string }
                          delivery_id: { type: [string, "null"] }
                "401": { $ref: "#/components/responses/Unauthorized" }
                "403": { $ref: "#/components/responses/Forbidden" }
                "404": { $ref: "#/components/responses/NotFound" }
                "409": { $ref: "#/components/responses/Conflict" }
          /v1/audit:
            get:
              summary: The audit log, newest first
              parameters:
                - $ref: "#/components/parameters/limit"
                - $ref: "#/components/parameters/cursor"
              responses:
                "200": { description: A page of audit entries., content: { application/json: { schema: { $ref: "#/components/schemas/AuditEntryPage" } } } }
                "400": { $ref: "#/components/responses/BadRequest" }
                "401": { $ref: "#/components/responses/Unauthorized" }
        components:
          securitySchemes:
            bearer: { type: http, scheme: bearer }
          parameters:
            id: { name: id, in: path, required: true, schema: { type: string } }
            limit: { name: limit, in: query, description: "1 to 500 (default 50).", schema: { type: integer, minimum: 1, maximum: 500 } }
            cursor: { name: cursor, in: query, description: "A previous page's next_cursor.", schema: { type: string } }
            since: { name: since, in: query, description: "RFC 3339 or a duration before now (2h, 30m).", schema: { type: string } }
            until: { name: until, in: query, description: "RFC 3339 or a duration before now.", schema: { type: string } }
          responses:
            BadRequest: { description: "The input was wrong; `detail` says how.", content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }
            Unauthorized: { description: "Missing or unknown token.", content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }
            Forbidden: { description: "The token's role may not do this.", content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }
            NotFound: { description: "No such thing.", content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }
            Conflict: { description: "Not now: an attempt is under way, or the subscription is disabled.", content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }
          schemas:
            Error:
              type: object
              required: [error, detail]
              properties: { error: { type: string }, detail: { type: string } }
            Status:
              type: object
              required: [status]
              properties: { status: { type: string }, detail: { type: string } }
            Cursor: { type: [string, "null"] }
            Time: { type: [string, "null"], format: date-time }
            Event:
              type: object
              description: A CloudEvents 1.0 structured JSON document (DESIGN.md §6).
              required: [specversion, id, source, type, time, data]
              properties:
                specversion: { const: "1.0" }
                id: { type: string }
                source: { type: string }
                type: { type: string }
                subject: { type: string }
                time: { type: string, format: date-time }
                datacontenttype: { type: string }
                provider: { type: string }
                providereventid: { type: string }
                providereventtype: { type: string }
                traceparent: { type: string }
                data: {}
            EventPage: { type: object, required: [data, next_cursor], properties: { data: { type: array, items: { $ref: "#/components/schemas/Event" } }, next_cursor: { $ref: "#/components/schemas/Cursor" } } }
            ReceiptPage: { type: object, required: [data, next_cursor], properties: { data: { type: array, items: { $ref: "#/components/schemas/Receipt" } }, next_cursor: { $ref: "#/components/schemas/Cursor" } } }
            DestinationPage: { type: object, required: [data, next_cursor], properties: { data: { type: array, items: { $ref: "#/components/schemas/Destination" } }, next_cursor: { $ref: "#/components/schemas/Cursor" } } }
            SubscriptionPage: { type: object, required: [data, next_cursor], properties: { data: { type: array, items: { $ref: "#/components/schemas/Subscription" } }, next_cursor: { $ref: "#/components/schemas/Cursor" } } }
            AuditEntryPage: { type: object, required: [data, next_cursor], properties: { data: { type: array, items: { $ref: "#/components/schemas/AuditEntry" } }, next_cursor: { $ref: "#/components/schemas/Cursor" } } }
            DeliveryBase:
              type: object
              required: [id, destination, status, next_attempt_at, last_status]
              properties:
                id: { type: string }
                destination: { type: string }
                status: { type: string, enum: [pending, in_flight, succeeded, failed, dead, cancelled] }
                next_attempt_at: { $ref: "#/components/schemas/Time" }
                last_status: { type: [integer, "null"] }
            DeliverySummary:
              allOf:
                - $ref: "#/components/schemas/DeliveryBase"
                - { type: object, required: [attempts], properties: { attempts: { type: integer, description: Attempts made. } } }
            Delivery:
              allOf:
                - $ref: "#/components/schemas/DeliveryBase"
                - type: object
                  required: [event_id, attempts]
                  properties:
                    event_id: { type: string }
                    attempts:
                      type: array
                      items:
                        type: object
                        required: [number, started_at, duration_ms, status_code, error, response_snippet]
                        properties:
                          number: { type: integer }
                          started_at: { type: string, format: date-time }
                          duration_ms: { type: integer }
                          status_code: { type: [integer, "null"] }
                          error: { type: [string, "null"] }
                          response_snippet: { type: [string, "null"] }
            Receipt:
              type: object
              required: [id, source, status, received_at, dedupe_key, headers, body_bytes, events]
              properties:
                id: { type: string }
                source: { type: string }
                status: { type: string, enum: [normalized, unrecognized, unparsed] }
                received_at: { type: string, format: date-time }
                dedupe_key: { type: string }
                headers: { type: object, additionalProperties: { type: string } }
                body_bytes: { type: integer, minimum: 0 }
                body: { type: string, contentEncoding: base64, description: One receipt only; never in a listing. }
                events: { type: array, items: { type: string } }
            ReplayCounts:
              type: object
              required: [matched, queued, dry_run]
              properties:
                id: { type: string }
                matched: { type: integer }
                queued: { type: integer }
                dry_run: { type: boolean }
            Replay:
              type: object
              required: [id, state, matched, queued, succeeded, failed, cancelled, filter, created_by, created_at, cancelled_at]
              properties:
                id: { type: string }
                state: { type: string, enum: [running, completed, cancelled] }
                matched: { type: integer }
                queued: { type: integer }
                succeeded: { type: integer }
                failed: { type: integer }
                cancelled: { type: integer }
                filter: { type: object }
                created_by: { type: string }
                created_at: { type: string, format: date-time }
                cancelled_at: { $ref: "#/components/schemas/Time" }
            Destination:
              type: object
              required: [name, kind, url, max_in_flight, timeout_seconds, circuit, pending, due, in_flight, dead, last_success_at, last_failure_at]
              properties:
                name: { type: string }
                kind: { type: string, enum: [target, subscription] }
                url: { type: string }
                max_in_flight: { type: integer }
                timeout_seconds: { type: integer }
                circuit: { type: [string, "null"], enum: [closed, open, half_open, null] }
                pending: { type: integer }
                due: { type: integer }
                in_flight: { type: integer }
                dead: { type: integer }
                last_success_at: { $ref: "#/components/schemas/Time" }
                last_failure_at: { $ref: "#/components/schemas/Time" }
            Subscription:
              type: object
              required: [id, url, types, sources, description, status, disabled_reason, created_at, updated_at]
              properties:
                id: { type: string }
                url: { type: string }
                types: { type: array, items: { type: string } }
                sources: { type: [array, "null"], items: { type: string } }
                description: { type: [string, "null"] }
                status: { type: string, enum: [active, disabled] }
                disabled_reason: { type: [string, "null"] }
                created_at: { type: string, format: date-time }
                updated_at: { type: string, format: date-time }
            AuditEntry:
              type: object
              required: [id, at, actor, action, target, detail]
              properties:
                id: { type: string }
                at: { type: string, format: date-time }
                actor: { type: string }
                action: { type: string }
                target: { type: string }
                detail: { type: object }
        """##
}
