//! Synthetic OpenAPI documents of any size, as YAML text, for scaling measurements.
//!
//! Every operation has the same shape, so time per operation is comparable across
//! sizes: a path parameter, a query parameter, a request body object of five fields
//! (among them an enum and a nested object) and an enveloped response. Each
//! operation has its own four named schemas, so the type space grows with it.

use std::fmt::Write;

/// Operations per resource group (`client.group0()…`).
const PER_GROUP: usize = 10;

/// A valid OpenAPI 3.0.3 document with `operations` operations.
pub fn spec(operations: usize) -> String {
    let mut out = String::with_capacity(operations * 2_600 + 2_000);
    out.push_str(HEAD);
    out.push_str("paths:\n");
    for i in 0..operations {
        path_item(&mut out, i);
    }
    out.push_str(COMPONENTS);
    for i in 0..operations {
        schemas(&mut out, i);
    }
    out
}

/// Operation `i`: its path item, with a path and a query parameter, a body and an
/// enveloped response.
fn path_item(out: &mut String, i: usize) {
    let group = i / PER_GROUP;
    // `write!` to a `String` cannot fail.
    let _ = write!(
        out,
        r"  /accounts/{{account_id}}/items{i}:
    post:
      operationId: create-item-{i}
      summary: Create item {i}
      description: Creates an item of kind {i}.
      x-fern-sdk-group-name: group{group}
      x-fern-sdk-method-name: create_item{i}
      parameters:
        - name: account_id
          in: path
          required: true
          schema:
            type: string
            maxLength: 32
        - name: dry_run
          in: query
          description: Validate without creating.
          schema:
            type: boolean
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Item{i}Input'
      responses:
        '200':
          description: The created item.
          content:
            application/json:
              schema:
                type: object
                required: [success, errors, messages, result]
                properties:
                  success:
                    type: boolean
                  errors:
                    $ref: '#/components/schemas/Messages'
                  messages:
                    $ref: '#/components/schemas/Messages'
                  result:
                    $ref: '#/components/schemas/Item{i}'
        '4XX':
          $ref: '#/components/responses/Failure'
"
    );
}

/// The four schemas of operation `i`: a kind enum, settings, the input and the item.
fn schemas(out: &mut String, i: usize) {
    let _ = write!(
        out,
        r"    Item{i}Kind:
      type: string
      description: The kind of item {i}.
      enum: [alpha, beta, gamma]
    Item{i}Settings:
      type: object
      description: Settings of item {i}.
      properties:
        enabled:
          type: boolean
        threshold:
          type: number
          minimum: 0
        mode:
          type: string
          maxLength: 16
    Item{i}Input:
      type: object
      description: What is sent to create item {i}.
      required: [name, kind]
      properties:
        name:
          type: string
          maxLength: 64
        kind:
          $ref: '#/components/schemas/Item{i}Kind'
        count:
          type: integer
          format: int32
          minimum: 0
        tags:
          type: array
          items:
            type: string
        settings:
          $ref: '#/components/schemas/Item{i}Settings'
    Item{i}:
      type: object
      description: Item {i} as stored.
      required: [id, name, kind, created_at]
      properties:
        id:
          type: string
          format: uuid
        name:
          type: string
        kind:
          $ref: '#/components/schemas/Item{i}Kind'
        count:
          type: integer
        created_at:
          type: string
          format: date-time
        settings:
          $ref: '#/components/schemas/Item{i}Settings'
"
    );
}

const HEAD: &str = r"openapi: 3.0.3
info:
  title: Synthetic Items
  version: 1.0.0
  description: A generated document for generator scaling benchmarks.
servers:
  - url: https://api.example.com/v1
security:
  - token: []
x-sdk-envelope:
  data: result
  success: success
  errors: errors
  messages: messages
";

const COMPONENTS: &str = r"components:
  securitySchemes:
    token:
      type: http
      scheme: bearer
  responses:
    Failure:
      description: The request failed.
      content:
        application/json:
          schema:
            type: object
            properties:
              success:
                type: boolean
              errors:
                $ref: '#/components/schemas/Messages'
              messages:
                $ref: '#/components/schemas/Messages'
  schemas:
    Message:
      type: object
      required: [code, message]
      properties:
        code:
          type: integer
        message:
          type: string
    Messages:
      type: array
      items:
        $ref: '#/components/schemas/Message'
";
