namespace Navigate.TestDependency;

public static class DependencyVersion
{
    public static string Describe() => "v1";
}
