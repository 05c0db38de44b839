// Each test runs the Api and its plugins as processes and kills them: one at a time keeps a shared 2-core machine responsive.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
