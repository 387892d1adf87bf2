"""Demo micro-internship projects for seeding a development or demo database.

Pure data, no Django imports. ``DEMO_PROJECTS`` holds 32 project dicts spread
over five demo organizations:

- Brightline Analytics: analytics consultancy, 30 people (8 projects)
- Greenway Community Health: regional nonprofit clinic network (8 projects)
- Cobalt Outdoor Co.: direct-to-consumer outdoor gear retailer (7 projects)
- Parcel & Post Logistics: small logistics startup (7 projects)
- Harbor & Pine Studio: tiny branding studio, not verified (2 draft projects)

Each dict has the keys organization, title, summary, description (paragraphs
separated by blank lines), deliverables (lines starting with "- "), category
(a ``projects.models.Category`` value), skills (names of ``accounts.Skill``
rows), hours, fee_cents, days_to_complete, apply_in_days (days from today to
the apply-by date), posted_days_ago, openings, is_remote, location, questions
(screening questions) and status ("open", "closed" or "draft").

Every fee keeps the implied hourly rate (fee_cents / hours) between $15 and
$35, and hours / days_to_complete stays at or below 3.
"""

DEMO_PROJECTS = [
    # ------------------------------------------------------------------
    # Brightline Analytics (8)
    # ------------------------------------------------------------------
    {
        "organization": "Brightline Analytics",
        "title": "Clean and analyze a 1,200-response customer satisfaction survey in R",
        "summary": (
            "Help our team turn a raw survey export from a regional grocery client "
            "into clean data, summary tables and a short findings memo."
        ),
        "description": (
            "One of our retail clients ran a customer satisfaction survey across 14 "
            "stores this spring and collected about 1,200 responses. The export has "
            "inconsistent store names, partial responses and a few duplicated rows, "
            "so it needs careful cleaning before anyone can trust the numbers."
            "\n\n"
            "You will write a reproducible R script that cleans the data, computes "
            "satisfaction scores by store and by shopper segment, and flags "
            "differences that are large enough to matter. You will then summarize "
            "the results in a two-page memo written for a non-technical reader."
            "\n\n"
            "A senior analyst will walk you through the survey design on a kickoff "
            "call and review your script with you at a weekly check-in. We share a "
            "data dictionary and an example memo from a past project."
        ),
        "deliverables": (
            "- A commented R script that cleans the raw export and produces all tables\n"
            "- Summary tables of satisfaction scores by store and shopper segment\n"
            "- A two-page findings memo with three to five key takeaways"
        ),
        "category": "data_analysis",
        "skills": ["R", "Data analysis", "Survey design", "Technical writing"],
        "hours": 25,
        "fee_cents": 70000,
        "days_to_complete": 21,
        "apply_in_days": 14,
        "posted_days_ago": 3,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Describe a dataset you cleaned in R or Python. What problems did you find and "
                "how did you fix them?"
            ),
            (
                "How would you decide whether a difference in average scores between two stores "
                "is meaningful?"
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Python script to automate a weekly Excel client report",
        "summary": (
            "Replace a two-hour manual copy-and-paste routine with a Python script "
            "that builds our weekly client report workbook from three CSV files."
        ),
        "description": (
            "Every Monday an analyst on our team combines three CSV exports into a "
            "formatted Excel workbook for a logistics client. The steps are the same "
            "each week, but they take about two hours and mistakes creep in."
            "\n\n"
            "You will write a Python script that reads the three files, applies the "
            "existing calculations, and writes a workbook with the same tabs, "
            "formatting and charts the client already receives. You will also write "
            "a short README so anyone on the team can run it."
            "\n\n"
            "We provide four weeks of sample inputs and the matching finished "
            "reports so you can test your output against them. Expect a kickoff "
            "call, a mid-project code review and a final handoff meeting."
        ),
        "deliverables": (
            "- A Python script that produces the weekly workbook from the three CSV inputs\n"
            "- Output that matches the four sample reports we provide\n"
            "- A README with setup and run instructions"
        ),
        "category": "software",
        "skills": ["Python", "Excel", "Data analysis"],
        "hours": 20,
        "fee_cents": 64000,
        "days_to_complete": 21,
        "apply_in_days": 10,
        "posted_days_ago": 5,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Share a link to, or briefly describe, a Python project where you read or wrote "
                "spreadsheet files."
            ),
            "Which Python libraries would you use to write a formatted Excel workbook, and why?",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Market scan of digital banking features at 20 regional credit unions",
        "summary": (
            "Compare the mobile and online banking features offered by 20 regional "
            "credit unions to support a client's product planning."
        ),
        "description": (
            "A credit union client wants to know how its digital banking offer "
            "compares with peers of a similar size. We have a list of 20 regional "
            "credit unions and a checklist of about 25 features, from mobile check "
            "deposit to card controls and budgeting views."
            "\n\n"
            "Using public websites, app store listings and published fee schedules, "
            "you will record which features each credit union offers and note "
            "anything unusual. You will finish with a one-page summary of the "
            "common features and the gaps."
            "\n\n"
            "A project lead will meet you for a 30-minute kickoff call and check in "
            "once a week by video. We will review your first five entries early so "
            "you can calibrate before doing the rest."
        ),
        "deliverables": (
            "- A completed feature matrix for 20 credit unions with source links\n"
            "- A one-page summary of common features, gaps and standouts"
        ),
        "category": "industry_research",
        "skills": ["Market research", "Competitive analysis", "Excel"],
        "hours": 15,
        "fee_cents": 30000,
        "days_to_complete": 14,
        "apply_in_days": 9,
        "posted_days_ago": 2,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Describe a research project where you compared several organizations on the same"
                " set of criteria."
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Write 3 client case studies from project notes and interviews",
        "summary": (
            "Turn internal project notes and short interviews with our analysts into "
            "three readable case studies for our website."
        ),
        "description": (
            "Our website has almost no examples of the work we do. We have "
            "permission from three clients, a healthcare provider, a regional "
            "retailer and a freight company, to publish anonymized case studies "
            "about recent projects."
            "\n\n"
            "You will read the project summaries, hold a 20-minute interview with "
            "the lead analyst on each project, and write a 600 to 800 word case "
            "study for each one: the problem, the approach and the measurable "
            "result. Plain language matters more than jargon."
            "\n\n"
            "Our marketing manager will run the kickoff call, introduce you to the "
            "analysts and give you one round of edits on each draft."
        ),
        "deliverables": (
            "- Three case studies of 600 to 800 words each\n"
            "- A two-sentence teaser and suggested headline for each case study"
        ),
        "category": "content_creation",
        "skills": ["Copywriting", "Blog writing", "Customer interviews"],
        "hours": 12,
        "fee_cents": 26400,
        "days_to_complete": 14,
        "apply_in_days": 12,
        "posted_days_ago": 6,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Please share a writing sample that explains a technical or data-related topic to"
                " a general reader."
            ),
            "How would you prepare for a 20-minute interview with someone you have never met?",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Email nurture sequence for our new survey analysis service",
        "summary": (
            "Write and set up a four-email sequence in HubSpot introducing our "
            "survey analysis package to past webinar attendees."
        ),
        "description": (
            "We are launching a fixed-price survey analysis package for small "
            "organizations. About 900 people attended our webinars last year, and "
            "we want to introduce the new service to them without sounding pushy."
            "\n\n"
            "You will draft four short emails sent over three weeks, each with a "
            "clear subject line and one call to action, and build the sequence in "
            "HubSpot with our marketing manager. You will also suggest one simple "
            "test, such as two subject lines, for the first email."
            "\n\n"
            "We give you the service description, our brand voice notes and access "
            "to a HubSpot sandbox. There is a kickoff call and a review meeting "
            "before anything goes live."
        ),
        "deliverables": (
            "- Four email drafts with subject lines and preview text\n"
            "- The sequence built and tested in our HubSpot account\n"
            "- A short note proposing one subject line test"
        ),
        "category": "marketing",
        "skills": ["Email marketing", "Copywriting", "HubSpot"],
        "hours": 10,
        "fee_cents": 22000,
        "days_to_complete": 14,
        "apply_in_days": 7,
        "posted_days_ago": 1,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "What makes you open a marketing email rather than delete it? Give one example.",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Redesign our 20-slide capabilities deck in PowerPoint",
        "summary": (
            "Give our capabilities presentation a cleaner, more consistent look "
            "using our existing brand colors and fonts."
        ),
        "description": (
            "Our capabilities deck has been edited by many people over three years "
            "and it shows: mixed fonts, crowded charts and inconsistent layouts. "
            "The content is mostly right; the design needs work."
            "\n\n"
            "You will build a small set of slide layouts in PowerPoint, apply them "
            "to all 20 slides, simplify the charts and replace clip art with clean "
            "icons. Where a slide has too much text, you will suggest shorter "
            "wording for us to approve."
            "\n\n"
            "You will get our brand guide, the current deck and two decks we admire. "
            "We will meet for a kickoff call and review your first five slides "
            "before you continue."
        ),
        "deliverables": (
            "- A redesigned 20-slide deck in PowerPoint\n"
            "- A template file with the master layouts for future decks"
        ),
        "category": "design",
        "skills": ["Presentation design", "PowerPoint", "Data visualization"],
        "hours": 10,
        "fee_cents": 23000,
        "days_to_complete": 10,
        "apply_in_days": 6,
        "posted_days_ago": 4,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Please link to or attach two or three slides you have designed.",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Proofread and fact-check a 40-page report on rural broadband adoption",
        "summary": (
            "Check the figures, citations and wording of a nearly finished research "
            "report before it goes to the client."
        ),
        "description": (
            "We are finishing a 40-page report for a state agency on home broadband "
            "adoption in rural counties. It cites about 60 figures from public "
            "sources and includes 15 charts."
            "\n\n"
            "You will check every number in the text and charts against its source, "
            "confirm that citations are complete and consistent, and mark up typos "
            "and unclear sentences. Anything you cannot verify goes on a short list "
            "for the authors."
            "\n\n"
            "The report's lead author will brief you on a short call and answer "
            "questions by email throughout the week."
        ),
        "deliverables": (
            "- A marked-up copy of the report with corrections and comments\n"
            "- A spreadsheet listing each checked figure, its source and its status"
        ),
        "category": "other",
        "skills": ["Technical writing", "Excel", "Data analysis"],
        "hours": 8,
        "fee_cents": 16000,
        "days_to_complete": 7,
        "apply_in_days": 5,
        "posted_days_ago": 8,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "How do you make sure you do not miss errors when proofreading a long document?",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Code 600 open-ended survey responses into themes",
        "summary": (
            "Read and tag open-ended answers from an employee engagement survey "
            "using a codebook our team has already drafted."
        ),
        "description": (
            "A mid-size manufacturer asked its employees what would make their jobs "
            "better. About 600 people wrote free-text answers, and we need each one "
            "tagged with one or more themes so we can count and compare them."
            "\n\n"
            "Working in a shared Google Sheet, you will apply our codebook of 18 "
            "themes to every response, flag answers that fit no theme, and note any "
            "new themes that come up often. Two students will split the responses "
            "and code an overlapping sample so we can check consistency."
            "\n\n"
            "We will train you on the codebook in a one-hour kickoff call and review "
            "your first 50 responses together before you continue."
        ),
        "deliverables": (
            "- All assigned responses coded in the shared sheet\n"
            "- A list of suggested new themes with example responses"
        ),
        "category": "data_entry",
        "skills": ["Data entry", "Google Sheets", "Data analysis"],
        "hours": 18,
        "fee_cents": 30600,
        "days_to_complete": 14,
        "apply_in_days": 4,
        "posted_days_ago": 15,
        "openings": 2,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Have you done any qualitative coding before, in a class or a job? Describe it "
                "briefly."
            ),
            (
                "Responses may mention sensitive workplace issues. How would you handle that "
                "information?"
            ),
        ],
        "status": "closed",
    },
    # ------------------------------------------------------------------
    # Greenway Community Health (8)
    # ------------------------------------------------------------------
    {
        "organization": "Greenway Community Health",
        "title": "Clean and deduplicate a 4,000-record donor CRM export",
        "summary": (
            "Help our development team merge duplicate donor records and fix "
            "addresses before our year-end giving mailing."
        ),
        "description": (
            "Our donor database has grown over ten years of events and online "
            "giving, and many donors now appear two or three times with slightly "
            "different names or old addresses. Before our year-end appeal we need "
            "a clean list."
            "\n\n"
            "You will work from a spreadsheet export of about 4,000 records: find "
            "likely duplicates, standardize names and addresses, and prepare a merge "
            "list that our development coordinator will apply in Salesforce. You "
            "will also document the rules you used so we can repeat them next year."
            "\n\n"
            "Our development coordinator will meet you for a kickoff call and a "
            "weekly 30-minute check-in. Donor data is confidential, so you will sign "
            "a short confidentiality agreement before starting."
        ),
        "deliverables": (
            "- A cleaned donor spreadsheet with standardized names and addresses\n"
            "- A merge list of duplicate records ready to apply in Salesforce\n"
            "- A one-page description of the cleanup rules"
        ),
        "category": "data_entry",
        "skills": ["Data entry", "Excel", "Salesforce"],
        "hours": 35,
        "fee_cents": 63000,
        "days_to_complete": 28,
        "apply_in_days": 18,
        "posted_days_ago": 2,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "How would you decide whether two records with slightly different names belong to"
                " the same person?"
            ),
            "Which Excel functions or features would you use to find duplicates in a large list?",
        ],
        "status": "open",
    },
    {
        "organization": "Greenway Community Health",
        "title": "Draft 4 patient-education blog posts on seasonal allergies and asthma",
        "summary": (
            "Write four short, accurate blog posts that help patients manage "
            "spring allergies and asthma, reviewed by our clinical staff."
        ),
        "description": (
            "Every spring our clinics see more patients with allergy and asthma "
            "flare-ups. We want simple articles on our website that patients can "
            "read before or after a visit."
            "\n\n"
            "You will write four posts of 600 to 900 words on agreed topics, such as "
            "telling allergies from a cold and using an inhaler correctly. Each post "
            "should be written at about a sixth-grade reading level, cite reputable "
            "public health sources and use keywords people actually search for."
            "\n\n"
            "A nurse educator will review every draft for accuracy, and our "
            "communications lead will hold a kickoff call and weekly check-ins."
        ),
        "deliverables": (
            "- Four blog posts of 600 to 900 words with cited sources\n"
            "- A meta description and suggested keywords for each post"
        ),
        "category": "content_creation",
        "skills": ["Blog writing", "SEO", "Copywriting"],
        "hours": 12,
        "fee_cents": 24000,
        "days_to_complete": 14,
        "apply_in_days": 11,
        "posted_days_ago": 7,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Please share a writing sample that explains a health or science topic to a "
                "general audience."
            ),
            "How do you check that a health claim comes from a reliable source?",
        ],
        "status": "open",
    },
    {
        "organization": "Greenway Community Health",
        "title": "Build a grant-prospect list of 40 foundations funding rural health",
        "summary": (
            "Research private and community foundations that fund rural clinics "
            "and organize them into a prioritized prospect list."
        ),
        "description": (
            "We rely on grants for about a third of our budget and want to reach "
            "beyond the same five funders. We need a researched list of foundations "
            "whose giving matches our work in rural primary care and behavioral "
            "health."
            "\n\n"
            "Using foundation websites and public tax filings, you will identify at "
            "least 40 prospects and record their focus areas, typical grant size, "
            "deadlines and application process. You will then rank them by fit "
            "using a simple scoring guide we develop together."
            "\n\n"
            "Our grants manager will lead the kickoff call and meet with you weekly. "
            "This is a good fit for students interested in nonprofit management or "
            "public health."
        ),
        "deliverables": (
            "- A spreadsheet of at least 40 foundation prospects with key details and sources\n"
            "- A ranking of prospects by fit, with the top 10 summarized in a short memo"
        ),
        "category": "industry_research",
        "skills": ["Grant writing", "Market research", "Excel"],
        "hours": 20,
        "fee_cents": 42000,
        "days_to_complete": 21,
        "apply_in_days": 15,
        "posted_days_ago": 3,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Have you worked on grant research or grant writing before? Describe your role.",
            (
                "What information would you look at first to judge whether a foundation is a good"
                " fit for us?"
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Greenway Community Health",
        "title": "Bilingual Instagram posts promoting fall flu-shot clinics",
        "summary": (
            "Create 12 Instagram posts and stories in English and Spanish that "
            "promote free flu-shot clinics at our six locations."
        ),
        "description": (
            "Each fall we run walk-in flu-shot clinics, and many of the families we "
            "serve prefer Spanish. Our Instagram account reaches them, but we post "
            "mostly in English and without a plan."
            "\n\n"
            "You will design 12 posts and stories in Canva using our templates, "
            "write captions in English and Spanish, and schedule them across five "
            "weeks. Posts should answer common questions: cost, what to bring, and "
            "whether insurance is needed."
            "\n\n"
            "Our communications lead will meet you for a kickoff call and approve "
            "each batch of posts at a weekly check-in."
        ),
        "deliverables": (
            "- 12 Instagram posts and stories with captions in English and Spanish\n"
            "- A five-week posting schedule"
        ),
        "category": "social_media",
        "skills": ["Instagram", "Spanish", "Canva", "Copywriting"],
        "hours": 14,
        "fee_cents": 29400,
        "days_to_complete": 14,
        "apply_in_days": 8,
        "posted_days_ago": 5,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Please rate your written Spanish (basic, conversational, fluent, native) and "
                "describe where you use it."
            ),
            "Share a link to social media content you have created, if you have any.",
        ],
        "status": "open",
    },
    {
        "organization": "Greenway Community Health",
        "title": "Map the patient check-in process at two clinics",
        "summary": (
            "Observe front-desk check-in at two of our clinics, time each step and "
            "recommend changes that shorten waits."
        ),
        "description": (
            "Patients at our two busiest clinics often wait 15 minutes or more "
            "before they are roomed, even with an appointment. We suspect much of "
            "the delay happens at the front desk, but we have never measured it."
            "\n\n"
            "Over four half-day visits, you will observe check-in, time each step, "
            "talk with front-desk staff about what slows them down, and draw a "
            "simple process map. You will finish with three to five practical "
            "recommendations."
            "\n\n"
            "This project is on-site in Spokane. Our operations manager will hold a "
            "kickoff meeting, introduce you to staff and check in weekly. You will "
            "not see any patient health information."
        ),
        "deliverables": (
            "- A process map of check-in at each clinic with step timings\n"
            "- A short report with three to five recommendations"
        ),
        "category": "operations",
        "skills": ["Project management", "UX research", "Excel"],
        "hours": 16,
        "fee_cents": 35200,
        "days_to_complete": 21,
        "apply_in_days": 12,
        "posted_days_ago": 9,
        "openings": 1,
        "is_remote": False,
        "location": "Spokane, WA",
        "questions": [
            "Are you able to travel to clinics in north and east Spokane for four half-day visits?",
            (
                "Describe a time you noticed a process that wasted people's time. What would you "
                "have changed?"
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Greenway Community Health",
        "title": "Power BI dashboard of appointment no-show rates",
        "summary": (
            "Build a Power BI dashboard that shows no-show rates by clinic, "
            "weekday, appointment type and lead time."
        ),
        "description": (
            "About one in seven scheduled appointments at our clinics ends in a "
            "no-show. Clinic managers want to see where and when no-shows happen so "
            "they can target reminder calls and overbooking."
            "\n\n"
            "From a de-identified export of two years of appointments, you will "
            "model the data in Power BI and build a dashboard with filters for "
            "clinic, provider type and date range. You will also write a one-page "
            "guide that helps managers read it."
            "\n\n"
            "Our data coordinator will run the kickoff call, explain the fields and "
            "meet with you weekly. The data contains no names or dates of birth."
        ),
        "deliverables": (
            "- A Power BI dashboard file with at least four linked views\n"
            "- A one-page user guide for clinic managers\n"
            "- A short summary of the three most notable patterns"
        ),
        "category": "data_analysis",
        "skills": ["Power BI", "Data visualization", "Data analysis", "Excel"],
        "hours": 30,
        "fee_cents": 81000,
        "days_to_complete": 28,
        "apply_in_days": 20,
        "posted_days_ago": 1,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Describe a dashboard or chart you built. Who used it, and what decision did it "
                "support?"
            ),
            (
                "How would you show no-show rates so that a clinic with few appointments does not"
                " look misleadingly bad?"
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Greenway Community Health",
        "title": "Translate and adapt 6 patient handouts into Spanish",
        "summary": (
            "Translate six short patient handouts into clear, natural Spanish for "
            "families visiting our clinics."
        ),
        "description": (
            "Several of our most-used handouts, on topics such as preparing for a "
            "lab visit and managing blood pressure at home, exist only in English. "
            "About 30 percent of our patients prefer Spanish."
            "\n\n"
            "You will translate six handouts of one to two pages each, adapting "
            "wording so it reads naturally rather than word for word, and keep the "
            "reading level simple. You will flag any medical terms where you are "
            "unsure of the best wording."
            "\n\n"
            "A bilingual medical assistant will review your drafts, and our "
            "communications lead will hold a kickoff call and a midpoint check-in."
        ),
        "deliverables": (
            "- Six translated handouts in Spanish, formatted to match the English versions\n"
            "- A short glossary of medical terms and the wording chosen"
        ),
        "category": "other",
        "skills": ["Spanish", "Copywriting", "Technical writing"],
        "hours": 15,
        "fee_cents": 34500,
        "days_to_complete": 14,
        "apply_in_days": 10,
        "posted_days_ago": 11,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "How did you learn Spanish, and how often do you read or write it today?",
            (
                'Please translate this sentence into Spanish: "Bring a list of all the medicines '
                'you take, including vitamins."'
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Greenway Community Health",
        "title": "Write a three-email year-end giving campaign",
        "summary": (
            "Draft three short donor emails for December that share patient stories "
            "and invite year-end gifts."
        ),
        "description": (
            "December brings in nearly 40 percent of our individual donations. This "
            "year we want a short email series that tells real, anonymized stories "
            "from our clinics instead of listing statistics."
            "\n\n"
            "You will draft three emails of about 200 words each, with subject lines "
            "and a clear donate button, based on story notes our staff collected. "
            "You will also suggest send dates and a version for donors who already "
            "gave this year."
            "\n\n"
            "Our development director will hold a kickoff call and give one round of "
            "edits on the drafts."
        ),
        "deliverables": (
            "- Three email drafts with subject lines and preview text\n"
            "- A thank-you variant for donors who have already given\n"
            "- Recommended send dates"
        ),
        "category": "marketing",
        "skills": ["Email marketing", "Copywriting"],
        "hours": 8,
        "fee_cents": 16000,
        "days_to_complete": 10,
        "apply_in_days": 6,
        "posted_days_ago": 0,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [],
        "status": "open",
    },
    # ------------------------------------------------------------------
    # Cobalt Outdoor Co. (7)
    # ------------------------------------------------------------------
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Competitor pricing research on 60 tents and sleeping bags",
        "summary": (
            "Track prices, discounts and shipping terms for comparable tents and "
            "sleeping bags sold by three competing outdoor brands."
        ),
        "description": (
            "We are setting prices for our fall camping line and need a clear view "
            "of what comparable products cost from three direct competitors. We "
            "have matched about 60 products by size, weight and temperature rating."
            "\n\n"
            "You will record list price, current sale price, shipping cost and "
            "return policy for each product, check prices twice a week for two "
            "weeks to catch promotions, and summarize where we sit on price."
            "\n\n"
            "Our merchandising lead will walk you through the product matches on a "
            "kickoff call and meet you for a weekly check-in."
        ),
        "deliverables": (
            "- A pricing spreadsheet covering 60 products across three brands, with four "
            "price checks each\n"
            "- A one-page summary of price positioning and promotion patterns"
        ),
        "category": "industry_research",
        "skills": ["Market research", "Competitive analysis", "Excel"],
        "hours": 15,
        "fee_cents": 28500,
        "days_to_complete": 14,
        "apply_in_days": 9,
        "posted_days_ago": 4,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "How would you make sure two products from different brands are a fair comparison?",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Draft 4 blog posts on trail safety for beginner hikers",
        "summary": (
            "Write four practical, friendly blog posts that help new hikers plan safe day hikes."
        ),
        "description": (
            "Many of our customers are new to hiking and buy their first daypack "
            "from us. We want our blog to help them stay safe, not just sell gear."
            "\n\n"
            "You will write four posts of 800 to 1,000 words: planning a first day "
            "hike, what to pack, hiking in hot weather, and what to do if you get "
            "lost. Each post should include a short checklist and link to two or "
            "three related products where it helps the reader."
            "\n\n"
            "Our content manager will hold a kickoff call, share our style guide "
            "and review drafts at weekly check-ins. Hiking experience is a plus."
        ),
        "deliverables": (
            "- Four blog posts of 800 to 1,000 words with checklists\n"
            "- Suggested titles, meta descriptions and target keywords"
        ),
        "category": "content_creation",
        "skills": ["Blog writing", "SEO", "Copywriting"],
        "hours": 16,
        "fee_cents": 32000,
        "days_to_complete": 21,
        "apply_in_days": 3,
        "posted_days_ago": 18,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Tell us about your own hiking or outdoor experience.",
            "Please share a writing sample, ideally a how-to or advice piece.",
        ],
        "status": "closed",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "30-day TikTok content calendar for fall camping gear",
        "summary": (
            "Plan a month of TikTok videos for our fall camping launch and edit the "
            "first six from footage we provide."
        ),
        "description": (
            "Our TikTok account has a small but engaged audience, and we post when "
            "we remember to. For the fall camping launch we want a real plan."
            "\n\n"
            "You will review what performs well in our niche, build a 30-day "
            "calendar with video ideas, hooks, captions and sounds, and edit the "
            "first six videos from raw footage our team shot on a recent trip. "
            "Ideas should suit a small team filming on phones."
            "\n\n"
            "Our social media coordinator will run the kickoff call and meet you "
            "weekly to review ideas and cuts."
        ),
        "deliverables": (
            "- A 30-day TikTok calendar with concepts, hooks and captions\n"
            "- Six edited videos ready to post\n"
            "- A short note on trends and accounts worth watching"
        ),
        "category": "social_media",
        "skills": ["TikTok", "Social media marketing", "Video editing"],
        "hours": 18,
        "fee_cents": 37800,
        "days_to_complete": 21,
        "apply_in_days": 13,
        "posted_days_ago": 2,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Share a link to a short video you edited, for TikTok or elsewhere.",
            "Name an outdoor or retail brand whose TikTok you like and explain why.",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Update 350 product listings with specs and care instructions",
        "summary": (
            "Fill in missing specifications, materials and care instructions for "
            "350 product listings using supplier spec sheets."
        ),
        "description": (
            "Many of our product pages are missing weights, materials or washing "
            "instructions, and customers ask about them by email every day. The "
            "information exists in supplier spec sheets; it just never made it "
            "into our catalog."
            "\n\n"
            "You will enter the missing fields for about 350 products into our "
            "catalog spreadsheet, following a style guide for units and wording, "
            "and flag any spec sheet that contradicts the current listing. Two "
            "students will split the catalog by product type."
            "\n\n"
            "Our e-commerce coordinator will train you on a kickoff call, check a "
            "sample of your first 30 entries and hold weekly check-ins."
        ),
        "deliverables": (
            "- Completed catalog fields for all assigned products\n"
            "- A list of conflicts between spec sheets and current listings"
        ),
        "category": "data_entry",
        "skills": ["Data entry", "Google Sheets", "Copywriting"],
        "hours": 20,
        "fee_cents": 32000,
        "days_to_complete": 14,
        "apply_in_days": 7,
        "posted_days_ago": 6,
        "openings": 2,
        "is_remote": True,
        "location": "",
        "questions": [
            "How do you stay accurate during long, repetitive data entry work?",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Design 6 product comparison graphics for our backpack line",
        "summary": (
            "Create six clean comparison graphics that help shoppers choose between "
            "our backpacks by capacity, weight and use."
        ),
        "description": (
            "Shoppers often ask which of our eight backpacks is right for them. We "
            "want simple comparison graphics for product pages, email and social "
            "posts."
            "\n\n"
            "You will design six graphics in Adobe Illustrator or Canva, such as a "
            "capacity chart, a day-pack versus overnight guide and a fit guide, "
            "using our brand colors and product photos. Each needs versions sized "
            "for the web, email and Instagram."
            "\n\n"
            "Our brand designer will hold a kickoff call, share the brand kit and "
            "review drafts at two check-ins."
        ),
        "deliverables": (
            "- Six comparison graphics in web, email and Instagram sizes\n- Editable source files"
        ),
        "category": "design",
        "skills": ["Adobe Illustrator", "Canva", "Data visualization"],
        "hours": 12,
        "fee_cents": 27600,
        "days_to_complete": 14,
        "apply_in_days": 10,
        "posted_days_ago": 3,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Please share a portfolio link or two to three design samples.",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Customer interviews on why shoppers abandon their carts",
        "summary": (
            "Interview 12 recent shoppers who left items in their cart and report "
            "what held them back."
        ),
        "description": (
            "About 70 percent of carts on our site are abandoned. Our analytics show "
            "where people leave, but not why. We want to hear it from shoppers "
            "themselves."
            "\n\n"
            "You will help refine a short interview guide, run 12 video interviews "
            "of about 20 minutes with shoppers we recruit, and write up the themes "
            "with quotes. A short follow-up survey to a wider group is optional if "
            "time allows."
            "\n\n"
            "Our marketing manager will hold a kickoff call, handle recruiting and "
            "scheduling, and meet you weekly to discuss early findings."
        ),
        "deliverables": (
            "- A final interview guide\n"
            "- Notes from 12 interviews\n"
            "- A findings report with themes, quotes and recommendations"
        ),
        "category": "marketing",
        "skills": ["Customer interviews", "Market research", "Survey design", "UX research"],
        "hours": 22,
        "fee_cents": 48400,
        "days_to_complete": 21,
        "apply_in_days": 16,
        "posted_days_ago": 5,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Describe any interviews or user research you have done, in class or at work.",
            "What would you ask first to learn why someone left items in their cart?",
        ],
        "status": "open",
    },
    {
        "organization": "Cobalt Outdoor Co.",
        "title": "Product photography for 25 new fall items",
        "summary": (
            "Photograph 25 new products in our Boulder studio space, on white and "
            "in simple lifestyle setups."
        ),
        "description": (
            "Our fall line arrives next month, and we need clean photos for the "
            "website and marketplace listings. We have a small studio corner with "
            "lights and a backdrop in our Boulder warehouse."
            "\n\n"
            "You will shoot each of the 25 products on white from four angles, "
            "plus a few lifestyle shots of our top sellers, then edit and export "
            "the images to our size and naming rules. Bring your own camera if you "
            "have one; we can lend one if needed."
            "\n\n"
            "Our e-commerce coordinator will meet you on your first day and be "
            "on-site for questions. We will review the first batch together before "
            "you shoot the rest."
        ),
        "deliverables": (
            "- Edited product photos, four angles per item, on white\n"
            "- 10 to 15 edited lifestyle photos\n"
            "- Files exported and named to our guidelines"
        ),
        "category": "content_creation",
        "skills": ["Photography", "Adobe Photoshop"],
        "hours": 24,
        "fee_cents": 52800,
        "days_to_complete": 14,
        "apply_in_days": 21,
        "posted_days_ago": 10,
        "openings": 1,
        "is_remote": False,
        "location": "Boulder, CO",
        "questions": [
            (
                "Please share a link to photos you have taken, ideally including products or "
                "still life."
            ),
            "Can you work on-site in Boulder for about four weekday afternoons?",
        ],
        "status": "open",
    },
    # ------------------------------------------------------------------
    # Parcel & Post Logistics (7)
    # ------------------------------------------------------------------
    {
        "organization": "Parcel & Post Logistics",
        "title": "Tableau dashboard of delivery times by ZIP code",
        "summary": (
            "Build a Tableau dashboard that shows on-time rates and delivery times "
            "by ZIP code, route and day of the week."
        ),
        "description": (
            "We deliver about 3,000 parcels a day across central Ohio. Our drivers "
            "and dispatchers have a feel for which areas run late, but we have "
            "never looked at the data properly."
            "\n\n"
            "You will write SQL queries against a read-only copy of our delivery "
            "database, prepare the data, and build a Tableau dashboard with a ZIP "
            "code map, on-time trends and a route comparison. You will finish by "
            "presenting the dashboard to our operations team."
            "\n\n"
            "Our head of operations will hold a kickoff call and weekly check-ins, "
            "and our engineer will help you with database access."
        ),
        "deliverables": (
            "- SQL queries that prepare the dashboard data\n"
            "- A published Tableau dashboard with map, trend and route views\n"
            "- A 15-minute presentation of findings to the operations team"
        ),
        "category": "data_analysis",
        "skills": ["Tableau", "SQL", "Data visualization", "Data analysis"],
        "hours": 32,
        "fee_cents": 102400,
        "days_to_complete": 30,
        "apply_in_days": 25,
        "posted_days_ago": 2,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Describe the most complex SQL query you have written and what it did.",
            (
                "Share a link to a Tableau Public dashboard or other visualization you built, if "
                "you have one."
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Build a delivery-zone lookup page for our website",
        "summary": (
            "Create a simple web page where customers enter a ZIP code and see "
            "whether we deliver there and on which days."
        ),
        "description": (
            "Prospective customers email us every day to ask whether we deliver to "
            "their area. We keep our service zones in a spreadsheet, but there is "
            "no way to check them on our website."
            "\n\n"
            "You will build a small, accessible page in HTML, CSS and JavaScript "
            "that reads our zone list from a JSON file and shows service days and "
            "cutoff times for a ZIP code. It should work on phones and match our "
            "site's look."
            "\n\n"
            "Our engineer will hold a kickoff call, review your code weekly and "
            "help deploy the finished page."
        ),
        "deliverables": (
            "- A working ZIP code lookup page in HTML, CSS and JavaScript\n"
            "- A script or documented steps to convert the zone spreadsheet to JSON\n"
            "- Brief notes on how to update the zones"
        ),
        "category": "software",
        "skills": ["JavaScript", "HTML and CSS"],
        "hours": 25,
        "fee_cents": 80000,
        "days_to_complete": 21,
        "apply_in_days": 14,
        "posted_days_ago": 7,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Share a link to a web page or repository you built with HTML, CSS and JavaScript.",
            "How would you make sure the page is usable on a phone and with a screen reader?",
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Write standard operating procedures for our returns desk",
        "summary": (
            "Observe our returns desk and write clear step-by-step procedures that "
            "new staff can follow from their first day."
        ),
        "description": (
            "Our returns desk handles about 200 packages a day, and almost all of "
            "the know-how lives in two people's heads. We are hiring and need "
            "written procedures."
            "\n\n"
            "You will spend two or three shifts at our Columbus warehouse watching "
            "and asking questions, then write procedures for receiving, inspecting, "
            "relabeling and logging returns, with photos where they help. The rest "
            "of the writing can be done remotely."
            "\n\n"
            "Our warehouse lead will hold a kickoff meeting and a weekly check-in, "
            "and will test the procedures with a new hire before you finish."
        ),
        "deliverables": (
            "- Written procedures for the four main returns tasks, with photos\n"
            "- A one-page quick-reference sheet for the desk"
        ),
        "category": "operations",
        "skills": ["Technical writing", "Project management", "Photography"],
        "hours": 20,
        "fee_cents": 40000,
        "days_to_complete": 21,
        "apply_in_days": 12,
        "posted_days_ago": 4,
        "openings": 1,
        "is_remote": False,
        "location": "Columbus, OH",
        "questions": [
            (
                "Can you spend two or three weekday shifts at our warehouse on the west side of "
                "Columbus?"
            ),
            "Describe a set of instructions you wrote for other people to follow.",
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Enter 800 scanned proof-of-delivery forms into a spreadsheet",
        "summary": (
            "Transcribe signatures, times and notes from scanned delivery forms so "
            "we can resolve open customer claims."
        ),
        "description": (
            "Before we switched to digital signatures, drivers used paper "
            "proof-of-delivery forms. We still get claims about those deliveries "
            "and need the details in a searchable spreadsheet."
            "\n\n"
            "You will enter the tracking number, delivery time, recipient name and "
            "driver notes from about 800 scanned forms, following an entry guide, "
            "and flag forms that are hard to read. Two students will split the "
            "forms by month."
            "\n\n"
            "Our customer service lead will train you on a kickoff call and check "
            "a sample of your entries each week."
        ),
        "deliverables": (
            "- A completed spreadsheet with one row per form\n"
            "- A list of unreadable or incomplete forms"
        ),
        "category": "data_entry",
        "skills": ["Data entry", "Excel"],
        "hours": 25,
        "fee_cents": 40000,
        "days_to_complete": 14,
        "apply_in_days": 5,
        "posted_days_ago": 12,
        "openings": 2,
        "is_remote": True,
        "location": "",
        "questions": [
            "Roughly how many fields per hour can you enter accurately? How do you know?",
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Research last-mile delivery rates of 10 regional carriers",
        "summary": (
            "Compare published rates, service areas and delivery promises of 10 "
            "regional carriers in the Midwest."
        ),
        "description": (
            "We are reviewing our prices for next year and want a clear picture of "
            "what regional competitors charge small online sellers for local and "
            "next-day delivery."
            "\n\n"
            "Using public rate cards, websites and, where needed, quote requests "
            "sent as a small seller, you will compile rates for three standard "
            "parcel sizes, service areas and delivery windows for 10 carriers, then "
            "summarize how our rates compare."
            "\n\n"
            "Our founder will hold a kickoff call and meet with you at the end of "
            "each week."
        ),
        "deliverables": (
            "- A comparison spreadsheet of rates and services for 10 carriers\n"
            "- A two-page summary of where our pricing stands"
        ),
        "category": "industry_research",
        "skills": ["Market research", "Competitive analysis", "Excel"],
        "hours": 12,
        "fee_cents": 25200,
        "days_to_complete": 10,
        "apply_in_days": 8,
        "posted_days_ago": 6,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "What would you do if a carrier does not publish its rates?",
        ],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "LinkedIn posting plan to reach small online sellers",
        "summary": (
            "Plan and draft a month of LinkedIn posts that introduce our same-day "
            "delivery service to small online sellers."
        ),
        "description": (
            "Most of our new customers are small online shops in central Ohio. Our "
            "founder posts on LinkedIn now and then, and we want a steadier "
            "presence that brings in leads."
            "\n\n"
            "You will draft 12 posts for our company page and the founder's profile, "
            "mixing customer stories, delivery tips and behind-the-scenes photos, "
            "and design four simple graphics in Canva. You will also suggest when "
            "to post."
            "\n\n"
            "Our founder will hold a short kickoff call and review the drafts with "
            "you once."
        ),
        "deliverables": (
            "- 12 drafted LinkedIn posts with a posting schedule\n"
            "- Four graphics sized for LinkedIn"
        ),
        "category": "social_media",
        "skills": ["LinkedIn marketing", "Copywriting", "Canva"],
        "hours": 8,
        "fee_cents": 16800,
        "days_to_complete": 10,
        "apply_in_days": 28,
        "posted_days_ago": 0,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [],
        "status": "open",
    },
    {
        "organization": "Parcel & Post Logistics",
        "title": "Write 10 help-center articles for new shipping customers",
        "summary": (
            "Turn our most common customer questions into 10 short, clear help-center articles."
        ),
        "description": (
            "Our customer support inbox is full of the same questions: how to "
            "schedule a pickup, how to label a package, what happens when a "
            "delivery fails. Good articles would answer most of them."
            "\n\n"
            "You will review a sample of anonymized support emails, agree on 10 "
            "topics with us, and write articles of 300 to 600 words with simple "
            "steps and screenshots. Each article should be easy to skim on a phone."
            "\n\n"
            "Our customer service lead will hold a kickoff call and review your "
            "drafts at weekly check-ins."
        ),
        "deliverables": (
            "- 10 help-center articles with screenshots\n"
            "- A suggested order and grouping for the help-center menu"
        ),
        "category": "content_creation",
        "skills": ["Technical writing", "Customer support", "Copywriting"],
        "hours": 14,
        "fee_cents": 29400,
        "days_to_complete": 14,
        "apply_in_days": 11,
        "posted_days_ago": 9,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                'Rewrite this sentence to be clearer for a customer: "Pickups must be requested '
                'prior to the cutoff in order to be processed same day."'
            ),
        ],
        "status": "open",
    },
    # ------------------------------------------------------------------
    # Harbor & Pine Studio (2, drafts: organization not verified)
    # ------------------------------------------------------------------
    {
        "organization": "Harbor & Pine Studio",
        "title": "Assemble a brand style guide for a new neighborhood bakery",
        "summary": (
            "Turn an approved logo and color palette into a clear 12-page brand "
            "style guide for a bakery client."
        ),
        "description": (
            "We are a two-person branding studio. A bakery client has approved its "
            "new logo, colors and typefaces, and now needs a style guide its staff "
            "can use for menus, signs and social posts."
            "\n\n"
            "You will lay out a 12-page guide in Figma covering logo use, color, "
            "type, photography style and example applications, and mock up a menu "
            "board and a shop window sign."
            "\n\n"
            "Our creative director will hold a kickoff call and review the guide "
            "with you twice."
        ),
        "deliverables": (
            "- A 12-page brand style guide exported as PDF\n"
            "- Mockups of a menu board and a window sign\n"
            "- The organized Figma source file"
        ),
        "category": "design",
        "skills": ["Figma", "Adobe Illustrator", "Presentation design"],
        "hours": 20,
        "fee_cents": 44000,
        "days_to_complete": 21,
        "apply_in_days": 14,
        "posted_days_ago": 0,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Please share a portfolio link that includes layout or branding work.",
        ],
        "status": "draft",
    },
    {
        "organization": "Harbor & Pine Studio",
        "title": "Instagram launch posts for our studio's portfolio",
        "summary": (
            "Plan and write nine Instagram posts that introduce our studio and "
            "showcase three recent branding projects."
        ),
        "description": (
            "Our studio has done good work but has almost no online presence. We "
            "want to relaunch our Instagram with a simple grid that shows three "
            "recent branding projects."
            "\n\n"
            "You will plan a nine-post grid from our existing project images, write "
            "captions and hashtags, and prepare the images in Canva."
            "\n\n"
            "We will hold a short kickoff call and review the grid together before "
            "anything is posted."
        ),
        "deliverables": (
            "- A nine-post grid plan with captions and hashtags\n"
            "- Nine images prepared and sized for Instagram"
        ),
        "category": "social_media",
        "skills": ["Instagram", "Canva", "Copywriting"],
        "hours": 6,
        "fee_cents": 12000,
        "days_to_complete": 7,
        "apply_in_days": 10,
        "posted_days_ago": 0,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [],
        "status": "draft",
    },
]
