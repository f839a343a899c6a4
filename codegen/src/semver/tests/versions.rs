//! Bumps, versions, the crate version, and resource features.

use super::*;

#[test]
fn bumps_follow_the_worst_class() {
    let c = |class| Change {
        class,
        what: String::new(),
    };
    assert_eq!(Bump::required(&[c(Class::Docs)]), Some(Bump::Patch));
    assert_eq!(Bump::required(&[c(Class::Behaviour)]), Some(Bump::Patch));
    assert_eq!(
        Bump::required(&[c(Class::Docs), c(Class::Additive)]),
        Some(Bump::Minor)
    );
    assert_eq!(
        Bump::required(&[c(Class::Breaking), c(Class::Additive)]),
        Some(Bump::Major)
    );
}

#[test]
fn bumps_apply_cargo_rules() {
    let v = |s: &str| Version::parse(s).unwrap_or_else(|e| panic!("{e}"));
    let table = [
        (Bump::Major, "0.1.3", "0.2.0"),
        (Bump::Minor, "0.1.3", "0.1.4"),
        (Bump::Patch, "0.1.3", "0.1.4"),
        (Bump::Major, "0.0.3", "0.0.4"),
        (Bump::Minor, "0.0.3", "0.0.4"),
        (Bump::Major, "1.2.3", "2.0.0"),
        (Bump::Minor, "1.2.3", "1.3.0"),
        (Bump::Patch, "1.2.3", "1.2.4"),
    ];
    for (bump, from, to) in table {
        let got = bump.apply(&v(from)).map(|v| v.to_string());
        assert_eq!(got.as_deref(), Ok(to), "{bump:?} {from}");
    }
    assert!(v("0.10.0") > v("0.9.9"));
    let largest = v("18446744073709551615.0.0");
    let err = Bump::Major.apply(&largest).err().unwrap_or_default();
    assert!(err.contains("the major part"), "{err}");
    assert!(Bump::Minor.apply(&largest).is_ok());
}

#[test]
fn versions_parse_with_errors_that_say_where() {
    let table = [
        (
            "1.2",
            "`1.2` has 2 part(s); expected three, MAJOR.MINOR.PATCH",
        ),
        (
            "1.02.0",
            "the minor part `02` of `1.02.0` has a leading zero",
        ),
        ("1.x.0", "the minor part `x` of `1.x.0` is not a number"),
        ("1..0", "the minor part `` of `1..0` is not a number"),
        (
            "1.0.0-beta",
            "`1.0.0-beta` has the suffix `-beta`; pre-release and build versions are not supported",
        ),
    ];
    for (text, error) in table {
        assert_eq!(Version::parse(text), Err(error.to_owned()), "{text}");
    }
    assert_eq!(
        Version::parse("10.0.7").map(|v| v.to_string()),
        Ok("10.0.7".to_owned())
    );
}

#[test]
fn the_spec_sets_the_crate_version() {
    let api = crate::lower_spec(BASE, "spec.yaml").map(|(api, _)| api);
    assert_eq!(
        api.ok().and_then(|a| a.crate_version),
        Some("0.3.1".to_owned())
    );
    let bad = BASE.replacen("x-crate-version: 0.3.1", "x-crate-version: 1.0", 1);
    let errors = crate::lower_spec(&bad, "spec.yaml")
        .err()
        .map(|d| d.to_string());
    let errors = errors.unwrap_or_default();
    assert!(
        errors.contains(
            "invalid crate version: expected semver text such as `0.1.0`, found a number"
        ) && errors.contains("#/info/x-crate-version"),
        "{errors}"
    );
}

/// A spec with resource features on and untagged operations on the client itself.
fn featured(extra_paths: &str, pet_schema: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
x-sdk-resource-features: true
paths:
  /v1/pets:
    get:
      operationId: listPets
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}}}
  /v1/users:
    get:
      operationId: listUsers
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/{pet_schema}'}}}}}}}}
{extra_paths}components:
  schemas:
    Pet: {{type: object, properties: {{name: {{type: string}}}}}}
    User: {{type: object, properties: {{name: {{type: string}}}}}}
"
    )
}

#[test]
fn adding_a_path_renames_no_feature() {
    let health = "  /health:
    get:
      operationId: health
      responses: {'204': {description: none}}
";
    let before = surface_of(&featured("", "User"));
    let after = surface_of(&featured(health, "User"));
    assert_eq!(
        before.features.as_deref(),
        Some(["pets".to_owned(), "users".to_owned()].as_slice())
    );
    assert_eq!(
        changes(&before, &after),
        vec![
            (
                Class::Additive,
                "added operation `client.health` (GET /health)".to_owned()
            ),
            (Class::Additive, "added feature `health`".to_owned()),
        ]
    );
}

#[test]
fn features_gate_and_ungate_items() {
    // `Pet` reached by both features is ungated; by `pets` alone, gated.
    let shared = surface_of(&featured("", "Pet"));
    let own = surface_of(&featured("", "User"));
    let got = changes(&shared, &own);
    assert!(
        got.contains(&(
            Class::Breaking,
            "`Pet` is now gated by feature `pets` (builds with `default-features = false` lose it)"
                .to_owned()
        )),
        "{got:?}"
    );
    let back = changes(&own, &shared);
    assert!(
        back.contains(&(
            Class::Additive,
            "`Pet` is no longer gated by feature `pets`".to_owned()
        )),
        "{back:?}"
    );
    // Features turned on for the whole crate: one line says what it gates.
    let off = surface_of(&featured("", "User").replace(
        "x-sdk-resource-features: true",
        "x-sdk-resource-features: false",
    ));
    let got = changes(&off, &own);
    assert!(
        got.contains(&(
            Class::Breaking,
            "resource features turned on for the crate: 4 item(s) are now gated, so builds with `default-features = false` lose them until they enable the features".to_owned()
        )),
        "{got:?}"
    );
    // A baseline written before features were recorded compares as before.
    let old = Surface {
        features: None,
        ..off
    };
    assert!(changes(&old, &own)
        .iter()
        .all(|(c, _)| *c != Class::Breaking));
}

#[test]
fn a_type_more_features_reach_is_widened_not_moved() {
    // Three features: `Pet` reached by `pets` and `users` is in both, not ungated.
    let orders = "  /v1/orders:
    get:
      operationId: listOrders
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
";
    let two = surface_of(&featured(orders, "Pet"));
    let one = surface_of(&featured(orders, "User"));
    assert_eq!(
        two.types.get("Pet").and_then(|t| t.feature.as_deref()),
        Some("pets, users")
    );
    let widened = changes(&one, &two);
    assert!(
        widened.contains(&(
            Class::Additive,
            "`Pet` is now in features `pets, users` (was `pets`)".to_owned()
        )),
        "{widened:?}"
    );
    let narrowed = changes(&two, &one);
    assert!(
        narrowed.contains(&(
            Class::Breaking,
            "`Pet` moved from feature `pets, users` to `pets`".to_owned()
        )),
        "{narrowed:?}"
    );
}
