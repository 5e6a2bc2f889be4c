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
    ErrBodyTooLarge => "What you sent is too large (at most 2 MB).", "Det du skickade är för stort (högst 2 MB).";
    ErrBadRequest => "The request was not understood. Reload the page and try again.", "Begäran kunde inte tolkas. Ladda om sidan och försök igen.";
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
    ErrPointRule => "Each rule must be a whole number from 0 to 10 000.", "Varje regel måste vara ett heltal från 0 till 10 000.";
    ErrBlockedWord => "Blocked words: at most 500, each at most 60 characters.", "Blockerade ord: högst 500, vart och ett högst 60 tecken.";
    ErrTitleRequired => "Give the item a title.", "Ge innehållet en rubrik.";
    ErrDestination => "The link must be a full web address starting with https:// or http://.", "Länken måste vara en fullständig webbadress som börjar med https:// eller http://.";
    ErrXTooLong => "The X text is too long: with the link it must fit in 280 characters.", "X-texten är för lång: med länken måste den rymmas på 280 tecken.";
    ErrTag => "Tags may contain letters, digits, - and _ (at most 32 characters each).", "Taggar får innehålla bokstäver, siffror, - och _ (högst 32 tecken var).";
    ErrTooManyTags => "At most 10 tags.", "Högst 10 taggar.";
    ErrExpiryBeforePublish => "The end time must be after the publish time.", "Sluttiden måste vara efter publiceringstiden.";
    ErrDate => "Enter a valid date and time.", "Ange ett giltigt datum och klockslag.";
    ErrHasShares => "People have shared this item, so it cannot be deleted. Archive it instead.", "Innehållet har delats och kan därför inte tas bort. Arkivera det i stället.";
    ErrImageType => "The image must be a JPEG, PNG or WebP file.", "Bilden måste vara en JPEG-, PNG- eller WebP-fil.";
    ErrImageTooBig => "The image is too large (at most 1.5 MB).", "Bilden är för stor (högst 1,5 MB).";
    ErrImagePixels => "The image is too large or too small (at most 6000 × 6000 pixels).", "Bilden är för stor eller för liten (högst 6000 × 6000 pixlar).";

    NavHub => "Hub", "Flödet";
    NavImpact => "My impact", "Min påverkan";
    NavContent => "Content", "Innehåll";
    NavPoints => "Point rules", "Poängregler";
    HomeGoHub => "Find something to share", "Hitta något att dela";
    HomeGoImpact => "See what your sharing has done", "Se vad dina delningar har gett";
    Close => "Close", "Stäng";

    StatusDraft => "Draft", "Utkast";
    StatusPublished => "Published", "Publicerad";
    StatusUnpublished => "Unpublished", "Avpublicerad";
    StatusArchived => "Archived", "Arkiverad";

    HubTitle => "Share the news", "Dela nyheterna";
    HubIntro => "Content picked for you by the communications team. Share it in your own words: every click on your link counts.", "Innehåll som kommunikationsteamet valt ut åt dig. Dela det med dina egna ord: varje klick på din länk räknas.";
    HubNewCount => "{count} new since your last visit.", "{count} nya sedan ditt senaste besök.";
    HubNothingNew => "Nothing new since your last visit.", "Inget nytt sedan ditt senaste besök.";
    HubSearch => "Search", "Sök";
    HubTags => "Tags", "Taggar";
    HubAllTags => "All", "Alla";
    HubEmpty => "Nothing to share here right now.", "Inget att dela här just nu.";
    HubNew => "New", "Ny";
    HubCardStats => "Colleagues: {shares} shares by {people} people, {clicks} clicks", "Kollegor: {shares} delningar av {people} personer, {clicks} klick";
    HubCardFirst => "No colleague has shared this yet: be the first.", "Ingen kollega har delat detta än: bli den första.";
    HubYouShared => "You shared this on {channels}.", "Du har delat detta på {channels}.";
    ChannelEmail => "E-mail", "E-post";
    ChannelCopy => "Copy text and link", "Kopiera text och länk";

    ShareButton => "Share", "Dela";
    ShareTitle => "Share “{title}”", "Dela ”{title}”";
    ShareChannel => "Where to share", "Var du vill dela";
    ShareText => "Your text", "Din text";
    SharePersonalise => "Make it yours: a few words of your own reach further than a copy, and earn {points} extra points.", "Gör den till din: några egna ord når längre än en kopia och ger {points} extra poäng.";
    ShareOwnWords => "In your own words: {points} extra points.", "Med dina egna ord: {points} extra poäng.";
    ShareLinkCounts => "(your link counts as 23)", "(din länk räknas som 23)";
    ShareYourLink => "Your personal link:", "Din personliga länk:";
    ShareOn => "Share on {network}", "Dela på {network}";
    ShareCopy => "Copy to clipboard", "Kopiera till urklipp";
    ShareCopied => "Your text is on the clipboard: paste it into the post.", "Din text finns i urklipp: klistra in den i inlägget.";
    ShareEarned => "Thanks for sharing! +{points} points.", "Tack för att du delar! +{points} poäng.";
    ShareAgain => "Shared again. Points are paid once per item and network.", "Delat igen. Poäng ges en gång per innehåll och nätverk.";
    ShareBalance => "You have {points} points.", "Du har {points} poäng.";

    ImpactTitle => "My impact", "Min påverkan";
    ImpactShares => "Shares", "Delningar";
    ImpactClicks => "Clicks", "Klick";
    ImpactReach => "Potential reach", "Möjlig räckvidd";
    ImpactSpendable => "Points to spend", "Poäng att använda";
    ImpactLifetime => "Points earned in all", "Intjänade poäng totalt";
    ImpactPoints => "Points", "Poäng";
    ImpactRawClicks => "Clicks count when they come from a person: {raw} link opens in all, including previews by the networks' robots and repeat visits.", "Klick räknas när de kommer från en människa: {raw} länköppningar totalt, inklusive nätverkens förhandsvisningar och upprepade besök.";
    ImpactByNetwork => "By network", "Per nätverk";
    ImpactNetwork => "Network", "Nätverk";
    ImpactOverTime => "Week by week", "Vecka för vecka";
    ImpactWeekOf => "Week of", "Veckan från";
    ImpactLatest => "Latest activity", "Senaste aktivitet";
    ImpactNothingYet => "Nothing yet. Share something from the hub to get started.", "Inget än. Dela något från flödet för att komma igång.";
    ActivityShare => "for sharing", "för delning av";
    ActivityBonus => "for your own words on", "för egna ord om";
    ActivityClick => "for a click on", "för ett klick på";
    ActivityOther => "adjustment", "justering";

    RulesTitle => "Point rules", "Poängregler";
    RulesHelp => "What sharing earns. Changes apply from now on; points already earned stay.", "Vad delningar ger. Ändringar gäller från och med nu; redan intjänade poäng står kvar.";
    RulesPerShare => "Points per share (once per item and network)", "Poäng per delning (en gång per innehåll och nätverk)";
    RulesPerClick => "Points per qualified click", "Poäng per kvalificerat klick";
    RulesBonus => "Bonus for a text in one's own words", "Bonus för en text med egna ord";
    RulesCap => "Most click points per share and day", "Högst antal klickpoäng per delning och dag";

    ContentTitle => "Content", "Innehåll";
    ContentNew => "New item", "Nytt innehåll";
    ContentEdit => "Edit item", "Redigera innehåll";
    ContentNone => "No content yet. Create the first item.", "Inget innehåll än. Skapa det första.";
    ContentItemTitle => "Title", "Rubrik";
    ContentUpdated => "Updated", "Uppdaterad";
    ContentLive => "In the hub", "I flödet";
    ContentBack => "← All content", "← Allt innehåll";
    ContentShares => "{count} shares", "{count} delningar";
    ContentSummary => "Summary", "Sammanfattning";
    ContentDestination => "Link (where readers land)", "Länk (dit läsarna kommer)";
    ContentImage => "Image", "Bild";
    ContentImageHelp => "JPEG, PNG or WebP, at most 1.5 MB.", "JPEG, PNG eller WebP, högst 1,5 MB.";
    ContentImageRemove => "Remove image", "Ta bort bilden";
    ContentTexts => "Suggested share texts", "Förslag på delningstexter";
    ContentTextsHelp => "One per network. Empty ones use the LinkedIn text. The link is added when shared.", "En per nätverk. Tomma använder LinkedIn-texten. Länken läggs till vid delning.";
    ContentTags => "Tags (separated by commas)", "Taggar (åtskilda med kommatecken)";
    ContentTargets => "Who sees it", "Vem som ser det";
    ContentTargetsHelp => "Tick groups to show it only to them; none ticked = everyone.", "Kryssa i grupper för att bara visa det för dem; inga ikryssade = alla.";
    ContentPublishAt => "Publish at (empty = at once)", "Publicera (tomt = direkt)";
    ContentExpiresAt => "Remove from the hub at (optional)", "Ta bort ur flödet (valfritt)";
    ContentScheduleHelp => "Times are in your own time zone.", "Tiderna är i din egen tidszon.";
    ContentSavePublish => "Save and publish", "Spara och publicera";
    ContentUnpublish => "Unpublish", "Avpublicera";
    ContentArchive => "Archive", "Arkivera";
    ContentRestore => "Restore", "Återställ";
    ContentDeleteConfirm => "Delete this item for good?", "Ta bort innehållet för gott?";

    NavPosts => "My posts", "Mina inlägg";
    NavReview => "Review", "Granska";
    NavNotices => "Notifications", "Aviseringar";
    NavBlocked => "Blocked words", "Blockerade ord";
    Uploading => "Uploading…", "Laddar upp…";
    CharCount => "{count} characters", "{count} tecken";
    RulesApprovedPost => "Points to the author of an approved post (once per post)", "Poäng till skribenten av ett godkänt inlägg (en gång per inlägg)";
    ReviewChangedElsewhere => "Someone else changed this post since you opened it; what you have not saved is still here.", "Någon annan har ändrat inlägget sedan du öppnade det; det du inte har sparat finns kvar här.";
    ReviewShowLatest => "Show the latest version", "Visa den senaste versionen";
    ErrStale => "Someone else changed this post meanwhile. The page now shows the latest version; make your change again.", "Någon annan ändrade inlägget under tiden. Sidan visar nu den senaste versionen; gör din ändring igen.";
    ErrPostLocked => "The post is with the reviewers and cannot be edited now.", "Inlägget ligger hos granskarna och kan inte ändras nu.";
    ErrIllegalMove => "That move is not allowed: the card went back to where it was.", "Den flytten är inte tillåten: kortet gick tillbaka dit det var.";
    ErrCommentRequired => "Write a comment for the author.", "Skriv en kommentar till skribenten.";
    ErrOwnPost => "Someone else must approve your own post.", "Någon annan måste godkänna ditt eget inlägg.";
    NoticeCommented => "New comment on “{title}”.", "Ny kommentar på ”{title}”.";
    NoticeChanges => "Changes requested on “{title}”.", "Ändringar önskas i ”{title}”.";
    NoticeApproved => "“{title}” was approved.", "”{title}” godkändes.";
    NoticeRejected => "“{title}” was rejected.", "”{title}” avslogs.";
    NoticePublished => "“{title}” is published in the hub.", "”{title}” är publicerat i flödet.";
    NoticesTitle => "Notifications", "Aviseringar";
    NoticesNone => "Nothing yet. You will hear here when your posts are commented on, approved or published.", "Inget än. Här får du veta när dina inlägg kommenteras, godkänns eller publiceras.";
    NoticeOpen => "Open", "Öppna";
    StageDraft => "Draft", "Utkast";
    StageSubmitted => "Submitted", "Inskickat";
    StageInReview => "In review", "Granskas";
    StageChanges => "Changes requested", "Ändringar önskas";
    StageApproved => "Approved (scheduled)", "Godkänt (schemalagt)";
    StagePublished => "Published", "Publicerat";
    StageRejected => "Rejected", "Avslaget";
    FmtBold => "Bold", "Fet";
    FmtItalic => "Italic", "Kursiv";
    FmtHeading => "Heading", "Rubrik";
    FmtList => "List", "Lista";
    FmtLink => "Link", "Länk";
    FmtQuote => "Quote", "Citat";
    PostsTitle => "My posts", "Mina inlägg";
    PostsIntro => "Write about your work in your own words. A reviewer checks each post before it joins the hub, and you earn points when it is approved.", "Skriv om ditt arbete med egna ord. En granskare läser varje inlägg innan det kommer till flödet, och du får poäng när det godkänns.";
    PostsNone => "You have not written any posts yet.", "Du har inte skrivit några inlägg än.";
    PostsBack => "← My posts", "← Mina inlägg";
    PostWrite => "Write a post", "Skriv ett inlägg";
    PostEditTitle => "Edit post", "Redigera inlägg";
    PostUntitled => "(untitled)", "(utan rubrik)";
    PostEdit => "Edit", "Redigera";
    PostEditResubmit => "Edit and resubmit", "Redigera och skicka igen";
    PostWithdraw => "Withdraw", "Dra tillbaka";
    PostBody => "Text (Markdown)", "Text (Markdown)";
    PostToolbar => "Formatting", "Formatering";
    PostBodyHelp => "**bold**, *italic*, ## heading, - list, [link](https://…), > quote. HTML is shown as text.", "**fet**, *kursiv*, ## rubrik, - lista, [länk](https://…), > citat. HTML visas som text.";
    PostPreview => "Preview (as the hub shows it)", "Förhandsvisning (som i flödet)";
    PostComments => "Comments", "Kommentarer";
    PostNoComments => "No comments yet.", "Inga kommentarer än.";
    PostAddComment => "Your comment", "Din kommentar";
    PostSendComment => "Send comment", "Skicka kommentar";
    PostNotSavedYet => "Saved automatically as you type.", "Sparas automatiskt medan du skriver.";
    PostSavedAt => "All changes saved at {time}.", "Alla ändringar sparade kl. {time}.";
    PostSaving => "Saving…", "Sparar…";
    PostOffline => "Not saved on the server yet (no connection). Your text is kept in this browser and saved as soon as possible.", "Inte sparat på servern än (ingen anslutning). Texten finns kvar i den här webbläsaren och sparas så snart det går.";
    PostLocked => "This post is with the reviewers, so it cannot be edited now.", "Inlägget ligger hos granskarna och kan inte ändras nu.";
    PostLockedPublished => "This post is approved. To change it now, ask a reviewer in the comments below.", "Inlägget är godkänt. Vill du ändra det nu, fråga en granskare i kommentarerna nedan.";
    PostLockedRejected => "This post was rejected; the comments below say why.", "Inlägget avslogs; kommentarerna nedan säger varför.";
    PostChangesHelp => "A reviewer asked for changes (see the comments below). Edit the post and resubmit it.", "En granskare vill ha ändringar (se kommentarerna nedan). Ändra inlägget och skicka in det igen.";
    PostRestored => "Restored what you had typed in this browser but not yet saved.", "Återställde det du skrivit i den här webbläsaren men inte sparat.";
    PostSubmit => "Submit for review", "Skicka till granskning";
    PostResubmit => "Resubmit", "Skicka igen";
    BlockedTitle => "Blocked words", "Blockerade ord";
    BlockedHelp => "Posts that contain any of these words or phrases are flagged on the review board. Whole words only, case does not matter.", "Inlägg som innehåller något av orden eller fraserna flaggas på granskningstavlan. Bara hela ord, skiftläget spelar ingen roll.";
    BlockedLabel => "One word or phrase per line", "Ett ord eller en fras per rad";
    BlockedSaved => "Saved: {count} words or phrases.", "Sparat: {count} ord eller fraser.";
    BoardTitle => "Review board", "Granskningstavla";
    BoardHelp => "Drag a card to move it, or use its “Move to” list. Dropping on Changes requested or Rejected asks for a comment to the author.", "Dra ett kort för att flytta det, eller använd dess lista ”Flytta till”. Vid Ändringar önskas eller Avslaget skriver du en kommentar till skribenten.";
    BoardMoved => "Moved.", "Flyttat.";
    BoardPublishes => "Publishes", "Publiceras";
    BoardFlagged => "⚑ Blocked words:", "⚑ Blockerade ord:";
    BoardComments => "{count} comments", "{count} kommentarer";
    BoardMoveTo => "Move to", "Flytta till";
    BoardAskChanges => "What should the author change?", "Vad ska skribenten ändra?";
    BoardAskReject => "Why is it rejected? (optional)", "Varför avslås det? (valfritt)";
    BoardBack => "← Review board", "← Granskningstavlan";
    BoardBy => "By", "Av";
    BoardCommentLabel => "Comment to the author with the move (required for Changes requested)", "Kommentar till skribenten med flytten (krävs för Ändringar önskas)";
    BoardEdit => "Edit, target and schedule", "Redigera, målgrupp och schema";
    HubBy => "Written by {name}", "Skrivet av {name}";
    NavLeaderboard => "Leaderboard", "Topplista";
    LeaderboardTitle => "Leaderboard", "Topplista";
    LeaderboardIntro => "Points earned by sharing, by the clicks shares bring and by approved posts. Updates live.", "Poäng för delningar, för klicken de ger och för godkända inlägg. Uppdateras direkt.";
    LeaderboardWho => "Who", "Vilka";
    LeaderboardPeriod => "Period", "Period";
    LeaderboardScope => "Show", "Visa";
    LeaderboardCompany => "Whole company", "Hela företaget";
    LeaderboardEmpty => "No points in this period yet. Share something from the hub!", "Inga poäng under perioden än. Dela något från flödet!";
    LeaderboardNoPoints => "You have no points in this period yet.", "Du har inga poäng under perioden än.";
    LeaderboardYou => "You", "Du";
    LeaderboardTied => "Tied: as many points as another", "Delad plats: lika många poäng som någon annan";
    BoardPeople => "People", "Personer";
    BoardTeams => "Teams", "Team";
    BoardDepartments => "Departments", "Avdelningar";
    BoardOffices => "Offices", "Kontor";
    PeriodWeek => "This week", "Den här veckan";
    PeriodMonth => "This month", "Den här månaden";
    PeriodQuarter => "This quarter", "Det här kvartalet";
    PeriodAll => "All time", "Totalt";
    NavScreens => "Screens", "Skärmar";
    ErrNoPanels => "Pick at least one panel.", "Välj minst en panel.";
    ErrRotate => "The rotation time must be 5 to 600 seconds.", "Växlingstiden måste vara 5 till 600 sekunder.";
    PanelPeople => "Top sharers this month", "Flitigaste delarna den här månaden";
    PanelTeams => "Top teams this month", "Bästa teamen den här månaden";
    PanelTicker => "Latest shares", "Senaste delningarna";
    PanelReach => "Our reach this month", "Vår räckvidd den här månaden";
    ScreensTitle => "Screens", "Skärmar";
    ScreensIntro => "Office TVs that show the leaderboard. Create a screen, then open its pairing link once on the TV: the TV stays paired until you revoke it.", "Kontorets tv-skärmar som visar topplistan. Skapa en skärm och öppna dess parkopplingslänk en gång på tv:n: den förblir kopplad tills du återkallar den.";
    ScreensLinkHelp => "Open this link once on the TV. It works once, for 7 days, and is shown only now.", "Öppna länken en gång på tv:n. Den fungerar en gång, i 7 dagar, och visas bara nu.";
    ScreensNew => "New screen", "Ny skärm";
    ScreensName => "Name", "Namn";
    ScreensPanels => "Panels", "Paneler";
    ScreensRotate => "Seconds per panel", "Sekunder per panel";
    ScreensCreate => "Create screen and pairing link", "Skapa skärm och parkopplingslänk";
    ScreensNone => "No screens yet.", "Inga skärmar än.";
    ScreensNewLink => "New pairing link", "Ny parkopplingslänk";
    ScreensRevoke => "Revoke", "Återkalla";
    ScreensRevokeConfirm => "Revoke this screen? It will only say that it has been disconnected.", "Återkalla skärmen? Den visar då bara att den har kopplats bort.";
    ScreensRevoked => "Revoked", "Återkallad";
    ScreensPaired => "Paired", "Kopplad";
    ScreensWaiting => "Waiting for pairing", "Väntar på parkoppling";
    ScreensLastSeen => "Last seen", "Senast sedd";
    ScreensSeen => "{age} ago", "för {age} sedan";
    CompanyTitle => "Company channels", "Företagets kanaler";
    CompanyHelp => "The audiences of the company's own accounts, for the screens' reach panel (followers of the company page on each network).", "Publiken för företagets egna konton, för skärmarnas räckviddspanel (följare av företagssidan i varje nätverk).";
    TvOffline => "Offline since {time}, reconnecting…", "Offline sedan {time}, ansluter igen…";
    TvUnpaired => "This screen is not paired. An administrator can create a pairing link under Screens.", "Skärmen är inte parkopplad. En administratör kan skapa en parkopplingslänk under Skärmar.";
    TvRevoked => "This screen has been disconnected.", "Skärmen har kopplats bort.";
    TvNoPoints => "No points yet this month.", "Inga poäng än den här månaden.";
    TvShared => "{name} shared “{title}” on {network}", "{name} delade ”{title}” på {network}";
    TvCompanyReach => "followers of our company channels", "följare av företagets kanaler";
    TvEmployeeReach => "people reached by the {count} colleagues who shared", "personer nådda av de {count} kollegor som delade";
}
