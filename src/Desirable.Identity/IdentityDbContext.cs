using Microsoft.EntityFrameworkCore;

namespace Desirable.Identity;

/// <summary>OpenIddict's applications, authorizations and tokens, in a SQLite file in the local data folder.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options);
