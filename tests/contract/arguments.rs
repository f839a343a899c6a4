//! Realistic arguments for every operation: keys of each kind, configuration and rule
//! bodies, a selector, a bulk edit.

use cloudflare_token_validation::types::{
    Action, AlgEs256, AlgEs384, BulkEditRuleRequest, CreateConfigRequest, CreateRuleRequest,
    CredentialsRequest, CrvP256, CrvP384, HmacAlgorithm, JwkEs256, JwkEs384, JwkOctRequest, JwkRsa,
    KtyEc, KtyOct, KtyRsa, PositionAfter, PositionBefore, PositionIndex, RsaAlgorithm, Selector,
    SelectorExclude, SelectorInclude, TokenType,
};

use crate::{CONFIG_ID, OPERATION_ID, OTHER_RULE_ID, RULE_ID};

pub(crate) fn rsa_key() -> JwkRsa {
    JwkRsa {
        kid: "0b5bd6a8-3c27-4e1a-9d65-1f3c7a9e2d41".into(),
        alg: RsaAlgorithm::Rs256,
        e: "AQAB".into(),
        kty: KtyRsa,
        n: "igGSQZbQaH2-T4fp1vqLLshOcJwXRE0IeMsNXoB87StK-DOaYWBrTN1N3lCP3y6vlV6cQeRn_i_RxKyZFKki4nhvxkXFnlaFXF_5ZOEP4tYStZUNoBf1n8mNjgf66U59tHlhN79RK7y7Czw3die14mYeuN83W_TiRcF4nhlAfaKp0YI1oHCT0jvQntFERM3nCCqxsmuVaNWm35m8vcXLXzC3C7o_pQ7tEob-h1zKo2XHO56-AkpYVGzWaWyHYe4weOBBOLJmVJ4e2VKev11T1qDKNv0s9sAWLphLit_BC6be-sNqfuROuAjZLb8ivIm1kHW-u-_dbV5y0yja2xo_mw".into(),
    }
}

pub(crate) fn es256_key() -> JwkEs256 {
    JwkEs256 {
        kid: "38013f13-c266-4eec-a72a-92ec92779f21".into(),
        kty: KtyEc,
        x: "CHjhGUHa68kLMvhcpgmZSXoIb45MxGrtpjkPwIHqOEE".into(),
        y: "JJad4wG6lGCILbQo0rSMj-85VYbWAPebK0QZ7o2_5mU".into(),
        alg: AlgEs256,
        crv: CrvP256,
    }
}

pub(crate) fn es384_key() -> JwkEs384 {
    JwkEs384 {
        kid: "c1f0e7b2-54d6-4f57-8a3e-6b2f9d0c1a77".into(),
        kty: KtyEc,
        x: "GXrDao1ToH6UOhfqqSo0vqObMPicURV4TUdK2MtGZ588AHhz9btIjcuMtt3BIvyR".into(),
        y: "CenHJY5D68gMKBNqD_Qwmvnc-NJysTu8SxjNfgkN8_Eg4CRSp-hY3AdY3Whk9gKR".into(),
        alg: AlgEs384,
        crv: CrvP384,
    }
}

pub(crate) fn oct_key() -> JwkOctRequest {
    JwkOctRequest {
        kid: "hmac-2026-11".into(),
        alg: HmacAlgorithm::Hs256,
        k: "VcVmkVeQUJfjsP1fYTx1v01WWcAeqgTJ9r1br7tVgNw".into(),
        kty: KtyOct,
    }
}

pub(crate) fn create_config_body() -> CreateConfigRequest {
    CreateConfigRequest {
        title: "Mobile app JWTs".into(),
        description: "Tokens issued by auth.example.com to the mobile apps".into(),
        token_type: TokenType::Jwt,
        token_sources: vec![
            r#"http.request.headers["authorization"][0]"#.into(),
            r#"http.request.cookies["session"][0]"#.into(),
        ],
        credentials: CredentialsRequest {
            keys: vec![es256_key().into(), rsa_key().into()],
        },
    }
}

pub(crate) fn selector() -> Selector {
    Selector {
        include: Some(vec![SelectorInclude {
            host: Some(vec!["api.example.com".into(), "v2.api.example.com".into()]),
        }]),
        exclude: Some(vec![SelectorExclude {
            operation_ids: Some(vec![OPERATION_ID.into()]),
        }]),
    }
}

pub(crate) fn create_rule_body(title: &str, action: Action) -> CreateRuleRequest {
    CreateRuleRequest {
        title: title.into(),
        description: "Requests to the public API must carry a valid token".into(),
        action,
        enabled: true,
        expression: format!(r#"is_jwt_valid("{CONFIG_ID}")"#),
        selector: selector(),
    }
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
