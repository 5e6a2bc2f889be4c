use serde::{Deserialize, Serialize};

use super::Lang;

macro_rules! texts {
    ($($key:ident => $en:expr, $sv:expr;)*) => {
        /// A UI text. Serializable so that errors can name the message the
        /// client shows in the reader's language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum T { $($key),* }

        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];

            pub fn in_lang(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => match self { $(T::$key => $en),* },
                    Lang::Sv => match self { $(T::$key => $sv),* },
                }
            }
        }
    };
}

texts! {
    AppName => "Sprida", "Sprida";
    Tagline => "Share what we do, in your own words.", "Sprid det vi gör, med dina egna ord.";
    NavHome => "Home", "Start";
    NavProfile => "My profile", "Min profil";
    NavTeam => "My team", "Mitt team";
    NavPeople => "People", "Personer";
    NavGroups => "Groups", "Grupper";
    NavSignIn => "Sign in", "Logga in";
    NavSignOut => "Sign out", "Logga ut";
    NavMenu => "Menu", "Meny";
    SkipToContent => "Skip to content", "Hoppa till innehållet";

    RoleEmployee => "Employee", "Medarbetare";
    RoleReviewer => "Reviewer", "Granskare";
    RoleManager => "Manager", "Chef";
    RoleAdmin => "Administrator", "Administratör";

    GroupKindDepartment => "Department", "Avdelning";
    GroupKindTeam => "Team", "Team";
    GroupKindOffice => "Office", "Kontor";

    SignInTitle => "Sign in to Sprida", "Logga in i Sprida";
    Email => "E-mail", "E-post";
    Password => "Password", "Lösenord";
    SignInButton => "Sign in", "Logga in";
    SigningIn => "Signing in…", "Loggar in…";
    SignInEmptyFields => "Enter your e-mail address and password.", "Ange din e-postadress och ditt lösenord.";
    LanguageLabel => "Language", "Språk";
    LanguageFollowBrowser => "Same as my browser", "Samma som webbläsaren";

    HomeWelcome => "Welcome, {name}", "Välkommen, {name}";
    HomeIntro => "Sprida helps you share the company's news in your own networks, in your own words. Your profile tells us which networks you use and how many people you reach there.", "Sprida hjälper dig att dela företagets nyheter i dina egna nätverk, med dina egna ord. I din profil anger du vilka nätverk du använder och hur många du når där.";
    HomeYourRoles => "Your roles", "Dina roller";
    HomeYourGroups => "Your groups", "Dina grupper";
    HomeReach => "Your declared reach", "Din angivna räckvidd";
    HomeReachNone => "You have not added any networks yet.", "Du har inte lagt till några nätverk än.";
    HomeCompleteProfile => "Complete your profile", "Komplettera din profil";
    HomeAdminPeople => "Manage people and invitations", "Hantera personer och inbjudningar";
    HomeManagerTeam => "See your team", "Se ditt team";
    HomeAnonymous => "Sign in to get started.", "Logga in för att komma igång.";
    PeopleCount => "people", "personer";

    ProfileTitle => "My profile", "Min profil";
    Name => "Name", "Namn";
    Title => "Title", "Titel";
    Department => "Department", "Avdelning";
    Groups => "Groups", "Grupper";
    Roles => "Roles", "Roller";
    NetworksTitle => "My social networks", "Mina sociala nätverk";
    NetworksHelp => "Tick the networks you use and about how many people you reach there. It is used to show the reach of what you share.", "Kryssa i nätverken du använder och ungefär hur många du når där. Det används för att visa räckvidden för det du delar.";
    AudienceSize => "Audience", "Publik";
    Save => "Save", "Spara";
    Saving => "Saving…", "Sparar…";
    Saved => "Saved.", "Sparat.";
    Cancel => "Cancel", "Avbryt";
    ChangePasswordTitle => "Change password", "Byt lösenord";
    CurrentPassword => "Current password", "Nuvarande lösenord";
    NewPassword => "New password (at least 10 characters)", "Nytt lösenord (minst 10 tecken)";
    PasswordChanged => "Password changed. Your other sessions were signed out.", "Lösenordet är bytt. Dina andra sessioner loggades ut.";
    Loading => "Loading…", "Laddar…";

    InviteTitle => "Welcome to Sprida", "Välkommen till Sprida";
    InviteChoosePassword => "Hi {name}! Choose a password to activate your account ({email}).", "Hej {name}! Välj ett lösenord för att aktivera ditt konto ({email}).";
    InviteActivate => "Activate my account", "Aktivera mitt konto";
    InviteInvalid => "This invitation link is not valid any more. Ask an administrator for a new one.", "Den här inbjudningslänken gäller inte längre. Be en administratör om en ny.";

    PeopleTitle => "People", "Personer";
    PeopleSearch => "Search by name or e-mail", "Sök på namn eller e-post";
    PeopleAddTitle => "Add a person", "Lägg till en person";
    PeopleAddButton => "Add and create invitation", "Lägg till och skapa inbjudan";
    PeopleInviteCreated => "Invitation link for {name} (valid 14 days). Send it to them:", "Inbjudningslänk för {name} (gäller i 14 dagar). Skicka den till personen:";
    PeopleNewInvite => "New invitation link", "Ny inbjudningslänk";
    PeopleEdit => "Edit", "Redigera";
    PeopleDeactivate => "Deactivate", "Inaktivera";
    PeopleReactivate => "Reactivate", "Återaktivera";
    PeopleDeactivateConfirm => "Deactivate {name}? They are signed out at once and cannot sign in until reactivated.", "Inaktivera {name}? Personen loggas ut direkt och kan inte logga in förrän kontot återaktiveras.";
    PeopleStatus => "Status", "Status";
    PeopleActive => "Active", "Aktiv";
    PeopleInactive => "Deactivated", "Inaktiverad";
    PeopleInvited => "Invited", "Inbjuden";
    PeopleActions => "Actions", "Åtgärder";
    PeopleNone => "No one matches.", "Ingen matchar.";
    ImportTitle => "Import from CSV", "Importera från CSV";
    ImportHelp => "One person per row, with the header: email,name,title,department,team,office,roles. Roles are separated by semicolons (employee;reviewer;manager;admin). Missing groups are created. Rows with errors are not imported; the others are.", "En person per rad, med rubrikraden: email,name,title,department,team,office,roles. Roller skiljs åt med semikolon (employee;reviewer;manager;admin). Grupper som saknas skapas. Rader med fel importeras inte, de andra gör det.";
    ImportFile => "CSV file", "CSV-fil";
    ImportPaste => "…or paste the CSV here", "…eller klistra in CSV här";
    ImportButton => "Import", "Importera";
    ImportResult => "Imported {count} people.", "Importerade {count} personer.";
    ImportRowError => "Row {row}", "Rad {row}";
    ImportNothing => "Paste CSV text or choose a file first.", "Klistra in CSV-text eller välj en fil först.";

    GroupsTitle => "Groups", "Grupper";
    GroupName => "Group name", "Gruppnamn";
    GroupKind => "Kind", "Typ";
    GroupMembers => "Members", "Medlemmar";
    GroupAdd => "Add group", "Lägg till grupp";
    GroupRename => "Rename", "Byt namn";
    GroupDelete => "Delete", "Ta bort";
    GroupDeleteConfirm => "Delete the group {name}? Its members stay, only the grouping goes.", "Ta bort gruppen {name}? Medlemmarna finns kvar, bara grupperingen försvinner.";

    TeamTitle => "My team", "Mitt team";
    TeamHelp => "The people in the groups you belong to.", "Personerna i grupperna du tillhör.";
    TeamNone => "You are not in any group yet.", "Du är inte med i någon grupp än.";

    NotFoundTitle => "Page not found", "Sidan finns inte";
    NotFoundText => "There is nothing at this address. Check the link, or go back to the start page.", "Det finns inget på den här adressen. Kontrollera länken eller gå tillbaka till startsidan.";
    BackHome => "Go to the start page", "Till startsidan";
    ErrorTitle => "Something went wrong", "Något gick fel";
    ForbiddenTitle => "Not for your role", "Inte för din roll";

    ErrSignedOut => "You are not signed in (or your session has ended). Please sign in again.", "Du är inte inloggad (eller så har sessionen gått ut). Logga in igen.";
    ErrForbidden => "Your role does not allow this.", "Din roll tillåter inte det här.";
    ErrNotFound => "That no longer exists.", "Det finns inte längre.";
    ErrBadCredentials => "Wrong e-mail address or password.", "Fel e-postadress eller lösenord.";
    ErrDeactivated => "This account has been deactivated. Contact an administrator.", "Kontot är inaktiverat. Kontakta en administratör.";
    ErrRateLimited => "Too many attempts. Try again in {minutes} min.", "För många försök. Försök igen om {minutes} min.";
    ErrInternal => "Something went wrong on the server. Please try again.", "Något gick fel på servern. Försök igen.";
    ErrNetwork => "Could not reach the server. Check your connection and try again.", "Kunde inte nå servern. Kontrollera anslutningen och försök igen.";
    ErrEmailInvalid => "Enter a valid e-mail address.", "Ange en giltig e-postadress.";
    ErrEmailTaken => "Someone already has that e-mail address.", "Någon har redan den e-postadressen.";
    ErrNameRequired => "Enter a name.", "Ange ett namn.";
    ErrTooLong => "A field is too long.", "Ett fält är för långt.";
    ErrPasswordShort => "The password must be at least 10 characters.", "Lösenordet måste ha minst 10 tecken.";
    ErrPasswordLong => "The password is too long (at most 256 characters).", "Lösenordet är för långt (högst 256 tecken).";
    ErrWrongPassword => "The current password is wrong.", "Det nuvarande lösenordet är fel.";
    ErrAudience => "Audience sizes must be whole numbers from 0 to 100 000 000.", "Publikens storlek måste vara ett heltal från 0 till 100 000 000.";
    ErrRoleUnknown => "Unknown role.", "Okänd roll.";
    ErrNoRoles => "Give the person at least one role.", "Ge personen minst en roll.";
    ErrGroupUnknown => "Unknown group.", "Okänd grupp.";
    ErrGroupExists => "A group of that kind already has that name.", "Det finns redan en grupp av den typen med det namnet.";
    ErrLanguageUnknown => "Unknown language.", "Okänt språk.";
    ErrSelfDeactivate => "You cannot deactivate yourself.", "Du kan inte inaktivera dig själv.";
    ErrSelfDemote => "You cannot remove your own administrator role.", "Du kan inte ta bort din egen administratörsroll.";
    ErrCsvHeader => "The first row must be the header: email,name,title,department,team,office,roles", "Första raden måste vara rubrikraden: email,name,title,department,team,office,roles";
    ErrCsvMalformed => "The row could not be read as CSV.", "Raden kunde inte läsas som CSV.";
    ErrCsvDuplicate => "The same e-mail address appears earlier in the file.", "Samma e-postadress finns tidigare i filen.";
    ErrCsvTooLarge => "The file is too large (at most 5 000 rows).", "Filen är för stor (högst 5 000 rader).";
    ErrCsvEmpty => "The file has no people in it.", "Filen innehåller inga personer.";
}
