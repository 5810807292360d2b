import Platform
import Testing

/// `BANYAN_CLUSTER`'s start check over given values, never the process's
/// environment (shared with every suite running beside this one).
@Suite struct ClusterModeTests {
    let given = ["DATABASE_URL": "postgres://db/banyan", "BANYAN_OPS_TOKEN": "", "A": "a"]
    func lookup(_ name: String) -> String? { given[name] }

    @Test(arguments: [nil, "", "0"] as [String?])
    func outsideAClusterNothingIsRequired(setting: String?) throws {
        try ClusterMode.requireShared(["MISSING"], setting: setting, lookup: lookup)
    }

    @Test func inAClusterEveryMissingOrEmptySettingIsNamedInOrder() {
        #expect(throws: MissingSharedSettings(names: ["MISSING", "BANYAN_OPS_TOKEN"])) {
            try ClusterMode.requireShared(
                ["DATABASE_URL", "MISSING", "A", "BANYAN_OPS_TOKEN"], setting: "1", lookup: lookup)
        }
    }

    @Test func inAClusterWithEverySettingGivenItStarts() throws {
        try ClusterMode.requireShared(["DATABASE_URL", "A"], setting: "1", lookup: lookup)
    }

    @Test(arguments: ["yes", "true", "2", " 1"])
    func aSettingOtherThanZeroOrOneIsRefused(setting: String) {
        #expect(throws: MissingSharedSettings(names: [], invalidSetting: setting)) {
            try ClusterMode.requireShared([], setting: setting, lookup: lookup)
        }
    }

    @Test func theMessageNamesWhatToSetAndWhy() {
        let text = MissingSharedSettings(names: ["DATABASE_URL", "JWT_SECRET_KEY"]).description
        #expect(text.contains("BANYAN_CLUSTER=1"))
        #expect(text.contains("DATABASE_URL, JWT_SECRET_KEY are not set"))
        #expect(text.contains("every instance must be given the same values"))
        #expect(MissingSharedSettings(names: ["X"]).description.contains("X is not set"))
        #expect(MissingSharedSettings(names: [], invalidSetting: "yes").description.contains("must be 1"))
    }
}
