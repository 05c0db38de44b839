// The AppHost's ports are fixed (5101, 5102, 5103), so only one test at a time may run its plugin servers.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
