"""Demo projects of Greenway Community Health."""

PROJECTS = [
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
]
