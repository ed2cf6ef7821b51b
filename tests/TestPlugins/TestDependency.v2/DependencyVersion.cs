namespace Navigate.TestDependency;

public static class DependencyVersion
{
    // The signature changed in v2: a plugin built against v1 breaks if it is handed v2.
    public static string Describe(string prefix = "") => prefix + "v2";

    public static int Generation => 2;
}
