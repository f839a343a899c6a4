//! Realistic arguments for every operation: keys of each kind, configuration and rule
//! bodies, a selector, a bulk edit.

use cloudflare_token_validation::types::{
    Action, BulkEditRuleRequest, CreateConfigRequest, CreateRuleRequest, CredentialsRequest,
    HmacAlgorithm, JwkEs256, JwkEs384, JwkOctRequest, JwkRsa, PositionAfter, PositionBefore,
    PositionIndex, RsaAlgorithm, Selector, SelectorExclude, SelectorInclude, TokenType,
};

use crate::{CONFIG_ID, OPERATION_ID, OTHER_RULE_ID, RULE_ID};

pub(crate) fn rsa_key() -> JwkRsa {
    JwkRsa::new(
        "0b5bd6a8-3c27-4e1a-9d65-1f3c7a9e2d41",
        RsaAlgorithm::Rs256,
        "AQAB",
        "igGSQZbQaH2-T4fp1vqLLshOcJwXRE0IeMsNXoB87StK-DOaYWBrTN1N3lCP3y6vlV6cQeRn_i_RxKyZFKki4nhvxkXFnlaFXF_5ZOEP4tYStZUNoBf1n8mNjgf66U59tHlhN79RK7y7Czw3die14mYeuN83W_TiRcF4nhlAfaKp0YI1oHCT0jvQntFERM3nCCqxsmuVaNWm35m8vcXLXzC3C7o_pQ7tEob-h1zKo2XHO56-AkpYVGzWaWyHYe4weOBBOLJmVJ4e2VKev11T1qDKNv0s9sAWLphLit_BC6be-sNqfuROuAjZLb8ivIm1kHW-u-_dbV5y0yja2xo_mw",
    )
}

pub(crate) fn es256_key() -> JwkEs256 {
    JwkEs256::new(
        "38013f13-c266-4eec-a72a-92ec92779f21",
        "CHjhGUHa68kLMvhcpgmZSXoIb45MxGrtpjkPwIHqOEE",
        "JJad4wG6lGCILbQo0rSMj-85VYbWAPebK0QZ7o2_5mU",
    )
}

pub(crate) fn es384_key() -> JwkEs384 {
    JwkEs384::new(
        "c1f0e7b2-54d6-4f57-8a3e-6b2f9d0c1a77",
        "GXrDao1ToH6UOhfqqSo0vqObMPicURV4TUdK2MtGZ588AHhz9btIjcuMtt3BIvyR",
        "CenHJY5D68gMKBNqD_Qwmvnc-NJysTu8SxjNfgkN8_Eg4CRSp-hY3AdY3Whk9gKR",
    )
}

pub(crate) fn oct_key() -> JwkOctRequest {
    JwkOctRequest::new(
        "hmac-2026-11",
        HmacAlgorithm::Hs256,
        "VcVmkVeQUJfjsP1fYTx1v01WWcAeqgTJ9r1br7tVgNw",
    )
}

pub(crate) fn create_config_body() -> CreateConfigRequest {
    CreateConfigRequest::new(
        CredentialsRequest::new(vec![es256_key().into(), rsa_key().into()]),
        "Tokens issued by auth.example.com to the mobile apps",
        "Mobile app JWTs",
        vec![
            r#"http.request.headers["authorization"][0]"#.to_owned(),
            r#"http.request.cookies["session"][0]"#.to_owned(),
        ],
        TokenType::Jwt,
    )
}

pub(crate) fn selector() -> Selector {
    Selector::new()
        .with_include(vec![SelectorInclude::new().with_host(vec![
            "api.example.com".to_owned(),
            "v2.api.example.com".to_owned(),
        ])])
        .with_exclude(vec![
            SelectorExclude::new().with_operation_ids(vec![OPERATION_ID.to_owned()])
        ])
}

pub(crate) fn create_rule_body(title: &str, action: Action) -> CreateRuleRequest {
    CreateRuleRequest::new(
        action,
        "Requests to the public API must carry a valid token",
        true,
        format!(r#"is_jwt_valid("{CONFIG_ID}")"#),
        selector(),
        title,
    )
}

pub(crate) fn bulk_edit_body() -> Vec<BulkEditRuleRequest> {
    vec![
        BulkEditRuleRequest::new(RULE_ID)
            .with_enabled(false)
            .with_action(Action::Block)
            .with_position(PositionIndex::new(1)),
        BulkEditRuleRequest::new(OTHER_RULE_ID).with_position(PositionBefore::new(RULE_ID)),
        BulkEditRuleRequest::new("9f0c3f57-7c1e-4d7e-8d55-4b1f6a2c3e90")
            .with_title("Legacy API")
            .with_position(PositionAfter::new(OTHER_RULE_ID)),
    ]
}
