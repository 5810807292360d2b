import Foundation

/// Where Banyan keeps its local state: the embedded PostgreSQL cluster,
/// generated secrets, the ops token. `BANYAN_HOME` overrides the default
/// `.banyan/` in the working directory.
public enum StateDirectory {
    public static var path: String {
        if let home = Configuration.value("BANYAN_HOME"), !home.isEmpty { return home }
        return FileManager.default.currentDirectoryPath + "/.banyan"
    }

    /// Creates the directory (mode 0700) if needed and returns the path of `name` inside it.
    public static func file(_ name: String) throws -> String {
        let directory = path
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        return directory + "/" + name
    }
}
